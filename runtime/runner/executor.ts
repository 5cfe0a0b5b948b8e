import type { BackendPreference } from '../backend/select-backend.js';
import type { PlannedRun } from '../../compiler/types/plan.js';
import type { EpochMetrics, RunFailure, RunRecord } from '../results/records.js';
import type { RunPaths } from '../results/run-paths.js';
import type { EarlyTerminationTask } from './early-termination.js';

/** The backend a user asked for; `auto` takes the best one that loads. */
export type BackendRequest = BackendPreference;

/** Progress of one run, for the display and the run log. */
export type RunEvent =
  | { readonly type: 'phase'; readonly phase: string }
  | { readonly type: 'notice'; readonly message: string }
  | { readonly type: 'epoch-begin'; readonly epoch: number; readonly epochs: number; readonly lr: number }
  | {
      readonly type: 'batch';
      readonly epoch: number;
      readonly batch: number;
      readonly batches: number;
      readonly loss: number;
      readonly accuracy: number;
      readonly imagesPerSecond: number;
    }
  | { readonly type: 'epoch-end'; readonly metrics: EpochMetrics };

/** The serialisable description of one run to execute (it crosses to worker processes as is). */
export interface RunTask {
  readonly run: PlannedRun;
  readonly paths: RunPaths;
  /** Folder of the spec file: relative data roots and weight paths resolve from here. */
  readonly specDir: string;
  /** Shared feature cache folder of the spec (`<results>/<spec>/.cache`). */
  readonly cacheDir: string;
  readonly backend: BackendRequest;
  /** Ignore (and delete) earlier checkpoints and results: `--rerun`. */
  readonly fresh: boolean;
  /** Present when every experiment of the run terminates early (runtime/runner/early-termination.ts). */
  readonly earlyTermination?: EarlyTerminationTask;
}

export interface RunJob extends RunTask {
  /** Aborted on SIGINT/SIGTERM: stop after the current step, persist, return `interrupted`. */
  readonly signal: AbortSignal;
  report(event: RunEvent): void;
  /** Merges fields into record.json (dataset, backend, parameters...). */
  updateRecord(patch: Partial<RunRecord>): Promise<void>;
}

export interface RunExecution {
  readonly status: 'completed' | 'failed' | 'interrupted' | 'stopped';
  readonly failure?: RunFailure;
  /** Omitted: as last reported through `updateRecord`. */
  readonly epochsCompleted?: number;
  readonly bestEpoch?: number;
}

/**
 * Trains and evaluates one run, writing its metrics, checkpoints, evaluation
 * and predictions under `job.paths`. Thrown errors become failures recorded by
 * the sweep; the record's status and times are the sweep's to write.
 */
export type RunExecutor = (job: RunJob) => Promise<RunExecution>;
