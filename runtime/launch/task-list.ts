import { runEarlyTermination } from '../../compiler/plan/early-termination-rungs.js';
import type { PlannedRun, RunPlan } from '../../compiler/types/plan.js';
import type { RunRecord } from '../results/records.js';
import { decideRun, selectRuns, type RerunMode } from '../runner/select-runs.js';
import { selectSlots } from '../search/run-slot.js';
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
  /** The run each filled slot of a model-based search proposed, by slot label (readSlotProposals); its record is in `records`. */
  readonly proposals?: ReadonlyMap<string, string>;
}

export type SkipReason = 'completed' | 'failed' | 'stopped' | 'submitted';

export interface TaskList {
  readonly tasks: readonly SubmissionTask[];
  /** A planned run, or a slot of a model-based search by its label. */
  readonly skipped: readonly { readonly run?: PlannedRun; readonly slot?: string; readonly reason: SkipReason }[];
}

/**
 * Which runs of a plan get a task: the selected runs that still need training
 * (the runner's own decision: pending and interrupted runs, failed or completed
 * ones only under --rerun) and that no queued or running task already covers,
 * so submitting twice never trains a run twice. Then the proposal slots of
 * model-based searches (tpe), one task each, on the same terms for the run a
 * slot has proposed: a slot's task proposes its run when it starts, from the
 * results recorded by then (runtime/search/run-slot.ts), so the proposals
 * follow the array's progress as `run --jobs N` does. Pure.
 */
export function buildTaskList(input: TaskListInput): TaskList {
  const tasks: SubmissionTask[] = [];
  const skipped: { run?: PlannedRun; slot?: string; reason: SkipReason }[] = [];
  for (const run of selectRuns(input.plan.runs, { only: input.only })) {
    if (input.active.has(run.id)) {
      skipped.push({ run, reason: 'submitted' });
      continue;
    }
    const decision = decideRun(input.records.get(run.id) ?? null, input.rerun, input.now, runEarlyTermination(input.plan, run) !== null);
    if (decision.action === 'skip') skipped.push({ run, reason: decision.reason });
    else tasks.push({ index: tasks.length, run_id: run.id, name: run.name });
  }
  for (const slot of selectSlots(input.plan, { only: input.only })) {
    if (input.active.has(slot.label)) {
      skipped.push({ slot: slot.label, reason: 'submitted' });
      continue;
    }
    const proposed = input.proposals?.get(slot.label);
    const record = proposed ? (input.records.get(proposed) ?? null) : null;
    const terminatesEarly = input.plan.experiments.find((e) => e.name === slot.experiment)?.early_termination !== undefined;
    const decision = decideRun(record, input.rerun, input.now, terminatesEarly);
    if (decision.action === 'skip') skipped.push({ slot: slot.label, reason: decision.reason });
    else tasks.push({ index: tasks.length, run_id: slot.label, name: slot.label, slot: true });
  }
  return { tasks, skipped };
}
