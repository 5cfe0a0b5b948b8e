import type { Diagnostic } from './diagnostic.js';

export interface FormatOptions {
  /** Text of each file by the name diagnostics use, for code frames. */
  readonly sources: ReadonlyMap<string, string>;
  /** Print at most this many; a last line counts the rest. */
  readonly limit?: number;
  /** Include a code frame under each located diagnostic (default true). */
  readonly codeFrame?: boolean;
}

/** `file:line:col: error[CODE]: message` plus a short code frame, for each diagnostic. */
export function formatDiagnostics(diagnostics: readonly Diagnostic[], options: FormatOptions): string {
  const limit = options.limit ?? 20;
  const shown = diagnostics.slice(0, limit);
  const parts = shown.map((d) => formatDiagnostic(d, options));
  if (diagnostics.length > limit) parts.push(`... and ${diagnostics.length - limit} more\n`);
  return parts.join('');
}

export function formatDiagnostic(d: Diagnostic, options: FormatOptions): string {
  const where = d.range ? `${d.file}:${d.range.start.line}:${d.range.start.col}` : d.file;
  const head = `${where}: ${d.severity}[${d.code}]: ${d.message}\n`;
  if (options.codeFrame === false || !d.range) return head;
  const text = options.sources.get(d.file);
  return text === undefined ? head : head + codeFrame(text, d);
}

function codeFrame(text: string, d: Diagnostic): string {
  const range = d.range!;
  const lines = text.split(/\r?\n/);
  const line = lines[range.start.line - 1];
  if (line === undefined) return '';
  const gutter = String(range.start.line).length;
  const endCol = range.end.line === range.start.line ? range.end.col : line.length + 1;
  const width = Math.max(1, Math.min(endCol, line.length + 1) - range.start.col);
  const pad = ' '.repeat(gutter);
  return (
    `${pad} |\n` +
    `${range.start.line} | ${line}\n` +
    `${pad} | ${' '.repeat(range.start.col - 1)}${'^'.repeat(width)}\n`
  );
}
