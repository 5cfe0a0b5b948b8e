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
  const keys = Object.keys(value).sort();
  let text = '{';
  for (let i = 0; i < keys.length; i++) {
    text += `${i ? ',' : ''}${JSON.stringify(keys[i])}:${canonicalJson((value as Record<string, unknown>)[keys[i]])}`;
  }
  return `${text}}`;
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
    // The same bytes as canonicalJson(config), fed to the hash piece by piece.
    const keys = Object.keys(config).sort();
    const hash = createHash('sha256').update('{');
    for (let i = 0; i < keys.length; i++) {
      hash.update(`${i ? ',' : ''}${JSON.stringify(keys[i])}:`);
      hash.update(sectionJson(keys[i], (config as Record<string, unknown>)[keys[i]]));
    }
    return hash.update('}').digest('hex').slice(0, 12);
  };
}

function sha12(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}
