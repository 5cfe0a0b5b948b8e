import { createHash } from 'node:crypto';
import { lastValueMemo } from '../expand/last-value-memo.js';

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
  const keys = Object.keys(value);
  for (let i = 1; i < keys.length; i++) if (keys[i - 1] > keys[i]) return keys.sort();
  return keys;
}

/** A run id: the first 12 hex digits of the SHA-256 of the canonical JSON of its RunConfig. */
export function runId(config: unknown): string {
  return sha12(canonicalJson(config));
}

/**
 * runId for many configs that share sections (objects under the top level,
 * never mutated): each distinct section is serialised once. Same ids as runId.
 */
export function createRunHasher(): (config: object) => string {
  const memos = new Map<string, (section: object) => string>();
  const sectionJson = (key: string, value: unknown): string => {
    if (typeof value !== 'object' || value === null) return canonicalJson(value);
    let memo = memos.get(key);
    if (!memo) memos.set(key, (memo = lastValueMemo(canonicalJson)));
    return memo(value);
  };
  return (config) => {
    // The same bytes as canonicalJson(config), sections taken from the memo.
    const keys = sortedKeys(config);
    let text = '{';
    for (let i = 0; i < keys.length; i++) {
      text += `${i ? ',' : ''}${JSON.stringify(keys[i])}:${sectionJson(keys[i], (config as Record<string, unknown>)[keys[i]])}`;
    }
    return sha12(`${text}}`);
  };
}

function sha12(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}
