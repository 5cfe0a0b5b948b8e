import type { ErrorObject } from 'ajv';
import { jsonTypes } from './describe-value.js';

/**
 * Ajv reports an anyOf failure with the errors of every branch. Keep only the
 * branch whose type fits the value (its errors say what is wrong); when no
 * branch fits, keep one `type` error that lists the accepted types.
 */
export function pruneAnyOfErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  let kept = [...errors];
  for (const anyOf of errors.filter((e) => e.keyword === 'anyOf')) {
    const branches = anyOf.schema as Record<string, unknown>[];
    const types = jsonTypes(anyOf.data);
    const fitting = branches.findIndex((branch) => branchFits(branch, anyOf.data, types));
    const prefix = `${anyOf.schemaPath}/`;
    kept = kept.filter((e) => e !== anyOf && !(e.schemaPath.startsWith(prefix) && !e.schemaPath.startsWith(`${prefix}${fitting}/`)));
    if (fitting < 0) {
      kept.push({
        ...anyOf,
        keyword: 'type',
        params: { type: [...new Set(branches.map((b) => branchWords(b)))] },
      });
    }
  }
  return kept;
}

function branchFits(branch: Record<string, unknown>, data: unknown, types: readonly string[]): boolean {
  const declared = Array.isArray(branch.type) ? branch.type : [branch.type];
  if (!declared.some((t) => types.includes(String(t)))) return false;
  return !('const' in branch) || typeof branch.const !== 'boolean' || branch.const === data;
}

function branchWords(branch: Record<string, unknown>): string {
  if ('const' in branch) return JSON.stringify(branch.const);
  if (branch.type === 'integer' && typeof branch.minimum === 'number') return `integer >= ${branch.minimum}`;
  return String(branch.type);
}
