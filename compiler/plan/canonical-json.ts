import * as crypto from 'node:crypto';
import { identityMemo } from '../expand/identity-memo.js';

/** JSON with object keys sorted at every level: equal data gives equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let text = '[';
    for (let i = 0; i < value.length; i++) text += (i ? ',' : '') + canonicalJson(value[i]);
    return `${text}]`;
  }
  const keys = sortedKeys(value);
  let text = '{';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    text += `${i ? ',' : ''}${PLAIN_KEY.test(key) ? `"${key}"` : JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`;
  }
  return `${text}}`;
}

/** Keys that JSON writes as they are, quoted: most config keys. */
const PLAIN_KEY = /^[A-Za-z0-9_.-]*$/;

function sortedKeys(value: object): string[] {
  return inOrder(Object.keys(value));
}

/** The keys sorted as Array.prototype.sort does, sorting only when they are out of order. */
function inOrder(keys: string[]): string[] {
  for (let i = 1; i < keys.length; i++) if (keys[i - 1] > keys[i]) return keys.sort();
  return keys;
}

/** A run id: the first 12 hex digits of the SHA-256 of the canonical JSON of its RunConfig. */
export function runId(config: unknown): string {
  return sha12(canonicalJson(config));
}

/**
 * runId for many configs that share sections (objects under the top level,
 * never mutated): each distinct section is serialised once, and the sorted
 * key order and its `,"key":` heads are worked out once per key layout (the
 * finalizer always writes the same one). Same ids as runId.
 */
export function createRunHasher(): (config: object) => string {
  const memos = new Map<string, (section: object) => string>();
  const sectionMemo = (key: string) => {
    let memo = memos.get(key);
    if (!memo) memos.set(key, (memo = identityMemo(canonicalJson)));
    return memo;
  };
  let layout: string[] = [];
  let order: string[] = [];
  let heads: string[] = [];
  let sectionMemos: ((section: object) => string)[] = [];
  return (config) => {
    const keys = Object.keys(config);
    if (!sameKeys(keys, layout)) {
      layout = keys;
      order = inOrder([...keys]);
      heads = order.map((key, i) => `${i ? ',' : '{'}${JSON.stringify(key)}:`);
      sectionMemos = order.map(sectionMemo);
    }
    // The same bytes as canonicalJson(config), sections taken from the memo.
    let text = order.length === 0 ? '{' : '';
    for (let i = 0; i < order.length; i++) {
      const value = (config as Record<string, unknown>)[order[i]];
      text += heads[i] + (typeof value === 'object' && value !== null ? sectionMemos[i](value) : canonicalJson(value));
    }
    return sha12(`${text}}`);
  };
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** crypto.hash (one call, no Hash object) where this Node has it (20.12+), else createHash. */
const sha256Hex: (text: string) => string =
  typeof crypto.hash === 'function' ? (text) => crypto.hash('sha256', text, 'hex') : (text) => crypto.createHash('sha256').update(text).digest('hex');

function sha12(text: string): string {
  return sha256Hex(text).slice(0, 12);
}
