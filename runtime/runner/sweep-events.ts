import type { PlannedRun } from '../../compiler/types/plan.js';
import type { RunFailure, RunStatus } from '../results/records.js';
import type { RunEvent } from './executor.js';

/** What a sweep reports as it goes; the CLI renders these, tests collect them. */
export type SweepEvent =
  | { readonly type: 'sweep-start'; readonly total: number; readonly selected: number }
  | { readonly type: 'run-skip'; readonly run: PlannedRun; readonly reason: 'completed' | 'failed' | 'stopped' }
  | { readonly type: 'run-busy'; readonly run: PlannedRun; readonly owner: string }
  | { readonly type: 'run-refused'; readonly run: PlannedRun; readonly message: string }
  | { readonly type: 'run-start'; readonly run: PlannedRun; readonly fresh: boolean }
  /** A model-based search slot got its run: `proposed` now by this runner, or read as stored. */
  | { readonly type: 'proposal'; readonly run: PlannedRun; readonly slot: string; readonly proposed: boolean }
  | { readonly type: 'proposal-refused'; readonly slot: string; readonly message: string }
  | { readonly type: 'run-event'; readonly run: PlannedRun; readonly event: RunEvent }
  | {
      readonly type: 'run-end';
      readonly run: PlannedRun;
      readonly status: Exclude<RunStatus, 'pending' | 'running'>;
      readonly failure?: RunFailure;
      readonly seconds: number;
    };

export interface SweepSummary {
  /** Runs this runner considered (after --shard and --only), search slots included. */
  readonly selected: number;
  /** Runs trained (or resumed) by this runner, by final status. */
  readonly ran: { readonly completed: number; readonly failed: number; readonly interrupted: number; readonly stopped: number };
  /** Final status of every selected run as stored when the sweep ended. */
  readonly statuses: Readonly<Record<string, RunStatus>>;
  readonly refused: number;
  readonly interrupted: boolean;
}

/** 0 when every selected run is completed (or stopped early by design), 130 after an interrupt, 1 otherwise. */
export function sweepExitCode(summary: SweepSummary): number {
  if (summary.interrupted) return 130;
  const allCompleted = Object.values(summary.statuses).every((status) => status === 'completed' || status === 'stopped');
  return allCompleted && summary.refused === 0 ? 0 : 1;
}
