import type { RunFailure, RunRecord } from '../results/records.js';
import type { RunEvent, RunExecution, RunTask } from './executor.js';

/** Where a worker finds its executor: a module path and the name of an exported RunExecutor factory. */
export interface ExecutorModule {
  /** Absolute path or file URL of the module. */
  readonly module: string;
  /** Export called with `options` once per worker; it returns the RunExecutor. */
  readonly factory: string;
  readonly options?: unknown;
}

export type ToWorker =
  | { readonly type: 'run'; readonly task: RunTask; readonly executor: ExecutorModule }
  | { readonly type: 'abort' };

export type FromWorker =
  | { readonly type: 'event'; readonly event: RunEvent }
  | { readonly type: 'record'; readonly patch: Partial<RunRecord> }
  | { readonly type: 'result'; readonly execution: RunExecution }
  | { readonly type: 'error'; readonly failure: RunFailure };
