import { isMap, isScalar, isSeq, visit, type Document } from 'yaml';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { offsetsToRange, type NodeLocator } from './yaml-nodes.js';

/** Deeper documents are refused: no spec needs more, and deep recursion is an attack surface. */
export const MAX_DEPTH = 32;

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const INTEGER_SYNTAX = /^[-+]?(0x[0-9a-fA-F]+|0o[0-7]+|[0-9]+)$/;

/**
 * Values that YAML accepts but a spec must not contain: prototype keys,
 * non-finite numbers (.inf, .nan), integers that a double cannot hold
 * exactly, and nesting deeper than MAX_DEPTH.
 */
export function findYamlTraps(locator: NodeLocator, text: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const at = (code: string, message: string, range: readonly number[] | null | undefined, path: (string | number)[]) =>
    out.push({
      code,
      severity: 'error',
      message,
      file: locator.file,
      path,
      range: range ? offsetsToRange(locator.lineCounter, range[0], range[1]) : null,
    });
  const walk = (node: unknown, depth: number, path: (string | number)[]): void => {
    if (depth > MAX_DEPTH) {
      const range = (node as { range?: number[] }).range;
      at('NESTING_TOO_DEEP', `nesting deeper than ${MAX_DEPTH} levels`, range, path);
      return;
    }
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : '';
        if (FORBIDDEN_KEYS.has(key)) at('FORBIDDEN_KEY', `the key "${key}" is not allowed`, (pair.key as { range?: number[] }).range, [...path, key]);
        walk(pair.value, depth + 1, [...path, key]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => walk(item, depth + 1, [...path, i]));
    } else if (isScalar(node) && typeof node.value === 'number' && node.range) {
      const source = text.slice(node.range[0], node.range[1]).trim();
      if (!Number.isFinite(node.value)) {
        at('NON_FINITE_NUMBER', `numbers must be finite, got ${source}`, node.range, path);
      } else if (INTEGER_SYNTAX.test(source.replace(/_/g, '')) && !Number.isSafeInteger(node.value)) {
        at('INTEGER_TOO_LARGE', `integer ${source} is beyond 2^53 and cannot be represented exactly`, node.range, path);
      }
    }
  };
  walk(locator.doc.contents, 0, []);
  return out;
}

/** Offset of the first alias node, for locating an alias-expansion error. */
export function firstAliasOffset(doc: Document): number | undefined {
  let offset: number | undefined;
  visit(doc, {
    Alias(_key, node) {
      offset = node.range?.[0];
      return visit.BREAK;
    },
  });
  return offset;
}
