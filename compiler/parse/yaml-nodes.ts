import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node, type Pair } from 'yaml';
import type { Origin, SourceRange } from '../diagnostics/diagnostic.js';

export type YamlPath = readonly (string | number)[];

/** What a located value needs to point back at its YAML node. */
export interface NodeLocator {
  readonly file: string;
  readonly doc: Document;
  readonly lineCounter: LineCounter;
}

/** The range of a node (its value, or its key when `key` is set) through the LineCounter. */
export function rangeAt(locator: NodeLocator, path: YamlPath, options: { key?: boolean } = {}): SourceRange | null {
  const found = findNode(locator.doc, path, options.key === true);
  if (found?.range) return offsetsToRange(locator.lineCounter, found.range[0], found.range[1]);
  if (path.length > 0) return rangeAt(locator, path.slice(0, -1), options);
  return offsetsToRange(locator.lineCounter, 0, 0);
}

export function originAt(locator: NodeLocator, path: YamlPath, what: string, options: { key?: boolean } = {}): Origin {
  return { file: locator.file, path, range: rangeAt(locator, path, options), what };
}

export function offsetsToRange(lineCounter: LineCounter, start: number, end: number): SourceRange {
  const a = lineCounter.linePos(start);
  const b = lineCounter.linePos(Math.max(start, end));
  return { start: { line: a.line, col: a.col, offset: start }, end: { line: b.line, col: b.col, offset: Math.max(start, end) } };
}

function findNode(doc: Document, path: YamlPath, key: boolean): Node | null {
  let node: unknown = doc.contents;
  let pair: Pair | null = null;
  for (const segment of path) {
    pair = null;
    if (isMap(node)) {
      pair = (node.items.find((item) => isPair(item) && scalarKey(item.key) === String(segment)) as Pair | undefined) ?? null;
      if (!pair) return null;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
    } else {
      return null;
    }
  }
  if (key && pair && isNodeLike(pair.key)) return pair.key;
  return isNodeLike(node) ? node : null;
}

function scalarKey(key: unknown): string | undefined {
  return isScalar(key) ? String(key.value) : undefined;
}

function isNodeLike(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && 'range' in value;
}
