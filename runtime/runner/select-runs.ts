import picomatch from 'picomatch';
import type { PlannedRun } from '../../compiler/types/plan.js';
import type { RunRecord } from '../results/records.js';
import { inShard, type Shard } from './shard.js';

/** `stopped`: continue the runs early termination stopped, from their checkpoints. */
export type RerunMode = 'failed' | 'all' | 'stopped';

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
  | { readonly action: 'skip'; readonly reason: 'completed' | 'failed' | 'stopped' };

/**
 * What to do with a run given its stored record. Pending and interrupted runs
 * run (interrupted ones resume, or restart under `--rerun all`); completed runs
 * are kept unless `--rerun all`, failed ones unless `--rerun failed|all`. A
 * rerun starts from scratch, but only for records finished (or started)
 * before this sweep started, so a run that another runner of the same sweep
 * just trained is not trained again. Runs stopped by early termination are
 * kept while the run still terminates early (`terminatesEarly`), continued
 * from their checkpoint under `--rerun stopped` or once no experiment of the
 * run terminates early any more, and retrained under `--rerun all`.
 */
export function decideRun(record: RunRecord | null, rerun: RerunMode | undefined, sweepStartedAt: Date, terminatesEarly: boolean): RunDecision {
  if (!record) return { action: 'run', fresh: false };
  const finishedBefore = record.finished_at !== undefined && new Date(record.finished_at) < sweepStartedAt;
  if (record.status === 'completed') {
    return rerun === 'all' && finishedBefore ? { action: 'run', fresh: true } : { action: 'skip', reason: 'completed' };
  }
  if (record.status === 'failed') {
    return (rerun === 'failed' || rerun === 'all') && finishedBefore ? { action: 'run', fresh: true } : { action: 'skip', reason: 'failed' };
  }
  if (record.status === 'stopped') {
    if (rerun === 'all' && finishedBefore) return { action: 'run', fresh: true };
    // A run stopped during this sweep is not continued by it: --rerun stopped means the ones stopped before.
    if ((rerun === 'stopped' && finishedBefore) || !terminatesEarly) return { action: 'run', fresh: false };
    return { action: 'skip', reason: 'stopped' };
  }
  const startedBefore = record.started_at !== undefined && new Date(record.started_at) < sweepStartedAt;
  return { action: 'run', fresh: rerun === 'all' && startedBefore };
}
