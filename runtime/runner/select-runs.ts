import picomatch from 'picomatch';
import type { PlannedRun } from '../../compiler/types/plan.js';
import type { RunRecord } from '../results/records.js';
import { inShard, type Shard } from './shard.js';

export type RerunMode = 'failed' | 'all';

export interface RunSelection {
  /** Glob over run names and ids (`arch=resnet*`, `3f9c*`). */
  readonly only?: string;
  readonly shard?: Shard;
  readonly rerun?: RerunMode;
}

/** The runs this runner considers, in plan order: the shard, then the `--only` filter. */
export function selectRuns(runs: readonly PlannedRun[], selection: RunSelection): PlannedRun[] {
  const sharded = inShard(runs, selection.shard);
  if (!selection.only) return sharded;
  const matches = picomatch(selection.only, { dot: true });
  return sharded.filter((run) => matches(run.name) || matches(run.id));
}

export type RunDecision =
  | { readonly action: 'run'; readonly fresh: boolean }
  | { readonly action: 'skip'; readonly reason: 'completed' | 'failed' };

/**
 * What to do with a run given its stored record. Pending and interrupted runs
 * run (interrupted ones resume, or restart under `--rerun all`); completed runs
 * are kept unless `--rerun all`, failed ones unless `--rerun failed|all`. A
 * rerun starts from scratch, but only for records finished (or started)
 * before this sweep started, so a run that another runner of the same sweep
 * just trained is not trained again.
 */
export function decideRun(record: RunRecord | null, rerun: RerunMode | undefined, sweepStartedAt: Date): RunDecision {
  if (!record) return { action: 'run', fresh: false };
  const finishedBefore = record.finished_at !== undefined && new Date(record.finished_at) < sweepStartedAt;
  if (record.status === 'completed') {
    return rerun === 'all' && finishedBefore ? { action: 'run', fresh: true } : { action: 'skip', reason: 'completed' };
  }
  if (record.status === 'failed') {
    return rerun !== undefined && finishedBefore ? { action: 'run', fresh: true } : { action: 'skip', reason: 'failed' };
  }
  const startedBefore = record.started_at !== undefined && new Date(record.started_at) < sweepStartedAt;
  return { action: 'run', fresh: rerun === 'all' && startedBefore };
}
