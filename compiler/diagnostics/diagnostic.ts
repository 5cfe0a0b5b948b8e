/**
 * Diagnostics are data: every phase of the compiler returns them instead of
 * throwing or printing. The CLI edge formats them (see format-diagnostics.ts).
 */

export type Severity = 'error' | 'warning';

/** 1-based line and column, 0-based offset into the file's text. */
export interface Position {
  readonly line: number;
  readonly col: number;
  readonly offset: number;
}

export interface SourceRange {
  readonly start: Position;
  readonly end: Position;
}

export interface Diagnostic {
  /** Stable SCREAMING_SNAKE code, e.g. UNKNOWN_KEY. */
  readonly code: string;
  readonly severity: Severity;
  /** One sentence; names the setting and, for a resolved run, the run. */
  readonly message: string;
  /** The spec file as the compiler was given it (POSIX separators). */
  readonly file: string;
  /** Path of the YAML node inside the file (keys and sequence indices). */
  readonly path: readonly (string | number)[];
  /** Where the node is; null when the problem has no single node (e.g. an unreadable file). */
  readonly range: SourceRange | null;
}

/** Where a value of the spec came from: used to point a diagnostic at the node that wrote it. */
export interface Origin {
  readonly file: string;
  readonly path: readonly (string | number)[];
  readonly range: SourceRange | null;
  /** Human words for the layer, e.g. `matrix axis optimizer.lr of experiment learning-rate`. */
  readonly what: string;
}

export function diagnosticAt(
  origin: Pick<Origin, 'file' | 'path' | 'range'>,
  code: string,
  message: string,
  severity: Severity = 'error',
): Diagnostic {
  return { code, severity, message, file: origin.file, path: origin.path, range: origin.range };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Sort by file, then position, then code: a stable order for output and golden files. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      (a.range?.start.offset ?? -1) - (b.range?.start.offset ?? -1) ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0) ||
      (a.message < b.message ? -1 : a.message > b.message ? 1 : 0),
  );
}
