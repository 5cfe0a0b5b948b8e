import type { RunFailure } from '../results/records.js';

/** A stable failure code for an error thrown out of a run. */
export function classifyFailure(error: unknown): RunFailure {
  const err = error as NodeJS.ErrnoException & { code?: unknown };
  const message = error instanceof Error ? error.message : String(error);
  if (err?.code === 'ENOSPC' || err?.code === 'EDQUOT') return { code: 'DISK_FULL', message };
  if (
    error instanceof RangeError && /allocation|memory|Array buffer/i.test(message) ||
    /out of memory|OOM|Cannot allocate|failed to allocate/i.test(message)
  ) {
    return { code: 'OUT_OF_MEMORY', message };
  }
  if (typeof err?.code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(err.code) && !/^E[A-Z]+$/.test(err.code)) {
    return { code: err.code, message };
  }
  return { code: 'RUNTIME_ERROR', message };
}
