import { LineCounter, parseDocument, type Document } from 'yaml';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { offsetsToRange, type NodeLocator } from './yaml-nodes.js';
import { findYamlTraps, firstAliasOffset } from './yaml-traps.js';

export interface SpecSource {
  /** The file name diagnostics use (POSIX). */
  readonly path: string;
  readonly text: string;
}

/** A parsed spec file: the yaml Document for locating nodes, and its plain value. */
export interface SpecDocument extends NodeLocator {
  readonly text: string;
  /** The document as plain JSON data; undefined when it could not be read safely. */
  readonly value: unknown;
}

/** Aliases expand to at most this many nodes (the yaml library's bound against "billion laughs"). */
export const MAX_ALIAS_COUNT = 100;

/**
 * Parse with the YAML 1.2 core schema (`no` and `on` are strings), duplicate
 * keys as errors and bounded alias expansion. YAML problems become diagnostics.
 */
export function parseSpec(source: SpecSource): { document: SpecDocument; diagnostics: Diagnostic[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source.text, {
    version: '1.2',
    schema: 'core',
    uniqueKeys: true,
    merge: false,
    lineCounter,
    prettyErrors: false,
  });
  const locator = { file: source.path, doc, lineCounter };
  const diagnostics: Diagnostic[] = [];
  for (const error of doc.errors) {
    const code = error.code === 'DUPLICATE_KEY' ? 'DUPLICATE_KEY' : 'YAML_SYNTAX';
    const message = error.code === 'MULTIPLE_DOCS' ? 'a spec is one YAML document: remove the --- separator and what follows' : error.message;
    diagnostics.push(yamlDiagnostic(locator, code, message, error.pos, 'error'));
  }
  for (const warning of doc.warnings) {
    // The core schema has no custom tags: `!!python/object` and the like are refused, not ignored.
    const tag = warning.code === 'TAG_RESOLVE_FAILED';
    const message = tag ? `${warning.message.replace(/^Unresolved tag: /, 'unknown tag ')}: specs use plain YAML values` : warning.message;
    diagnostics.push(yamlDiagnostic(locator, tag ? 'YAML_TAG' : 'YAML_WARNING', message, warning.pos, tag ? 'error' : 'warning'));
  }
  if (diagnostics.some((d) => d.severity === 'error')) {
    return { document: { ...locator, text: source.text, value: undefined }, diagnostics };
  }
  const traps = findYamlTraps(locator, source.text);
  diagnostics.push(...traps);
  let value: unknown;
  try {
    value = traps.length > 0 ? undefined : doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const offset = firstAliasOffset(doc) ?? 0;
    diagnostics.push({
      code: 'ALIAS_LIMIT',
      severity: 'error',
      message: `aliases expand to too many nodes (more than ${MAX_ALIAS_COUNT}); write the values out instead`,
      file: source.path,
      path: [],
      range: offsetsToRange(lineCounter, offset, offset + 1),
    });
    void error;
  }
  return { document: { ...locator, text: source.text, value }, diagnostics };
}

function yamlDiagnostic(
  locator: { file: string; lineCounter: LineCounter },
  code: string,
  message: string,
  pos: readonly [number, number],
  severity: 'error' | 'warning',
): Diagnostic {
  const firstLine = message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  return {
    code,
    severity,
    message: code === 'DUPLICATE_KEY' ? 'duplicate key: each key may appear once in a mapping' : firstLine,
    file: locator.file,
    path: [],
    range: offsetsToRange(locator.lineCounter, pos[0], pos[1]),
  };
}

export type { Document };
