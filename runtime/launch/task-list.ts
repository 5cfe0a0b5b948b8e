import { runEarlyTermination } from '../../compiler/plan/early-termination-rungs.js';
import type { PlannedRun, RunPlan } from '../../compiler/types/plan.js';
import type { RunRecord } from '../results/records.js';
import { decideRun, selectRuns, type RerunMode } from '../runner/select-runs.js';
import type { SubmissionTask } from './submission.js';

export interface TaskListInput {
  readonly plan: RunPlan;
  /** Each run's stored record (absent: never started). */
  readonly records: ReadonlyMap<string, RunRecord>;
  /** Runs that a task of an earlier submission still holds in the scheduler's queue (queued or running). */
  readonly active: ReadonlySet<string>;
  readonly only?: string;
  readonly rerun?: RerunMode;
  readonly now: Date;
}

export type SkipReason = 'completed' | 'failed' | 'stopped' | 'submitted';

export interface TaskList {
  readonly tasks: readonly SubmissionTask[];
  readonly skipped: readonly { readonly run: PlannedRun; readonly reason: SkipReason }[];
}

/**
 * Which runs of a plan get a task: the selected runs that still need training
 * (the runner's own decision: pending and interrupted runs, failed or completed
 * ones only under --rerun) and that no queued or running task already covers,
 * so submitting twice never trains a run twice. Pure.
 */
export function buildTaskList(input: TaskListInput): TaskList {
  const tasks: SubmissionTask[] = [];
  const skipped: { run: PlannedRun; reason: SkipReason }[] = [];
  for (const run of selectRuns(input.plan.runs, { only: input.only })) {
    if (input.active.has(run.id)) {
      skipped.push({ run, reason: 'submitted' });
      continue;
    }
    const decision = decideRun(input.records.get(run.id) ?? null, input.rerun, input.now, runEarlyTermination(input.plan, run) !== null);
    if (decision.action === 'skip') skipped.push({ run, reason: decision.reason });
    else tasks.push({ index: tasks.length, run_id: run.id, name: run.name });
  }
  return { tasks, skipped };
}

/**
 * Why a plan cannot be submitted as a fixed task list (null: it can). A
 * model-based search (tpe) proposes its runs during the sweep from the
 * results so far, so they are not known when the array is sized.
 */
export function unsubmittable(plan: RunPlan): string | null {
  const searches = plan.experiments.filter((e) => e.search);
  if (searches.length === 0) return null;
  const names = searches.map((e) => e.name).join(', ');
  return (
    `experiment${searches.length === 1 ? '' : 's'} ${names} use${searches.length === 1 ? 's' : ''} a ${searches[0].search!.method} search, ` +
    'whose runs are proposed during the sweep from earlier results; submit cannot give them cluster tasks yet. ' +
    'Train them with `sweepspec run` (--jobs N, or --shard i/n on several machines sharing the results folder)'
  );
}
