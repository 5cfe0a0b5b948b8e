import { join } from 'node:path';
import type { RunPlan } from '../../compiler/types/plan.js';
import type { RunExecutor } from '../runner/executor.js';
import { runSweep } from '../runner/run-sweep.js';
import { planSlots } from '../search/run-slot.js';
import type { SweepEvent, SweepSummary } from '../runner/sweep-events.js';
import { LaunchError } from './launch-error.js';
import { readSubmission, type SubmissionRecord, type SubmissionTask } from './submission.js';

export interface TaskRunOptions {
  /** The submission folder (plan.json, submission.json). */
  readonly dir: string;
  readonly index: number;
  readonly executor: RunExecutor;
  /** Aborted on SIGTERM (time limit, preemption, cancel): stop after the current step and save. */
  readonly signal: AbortSignal;
  readonly onEvent?: (event: SweepEvent) => void;
}

export interface TaskRun {
  readonly record: SubmissionRecord;
  readonly task: SubmissionTask;
  readonly summary: SweepSummary;
}

/**
 * One task of a cluster submission, for any engine: trains the run that the
 * submission gave this index, from the frozen plan, through the ordinary
 * runner (lease, checkpoints, resume). A requeued or restarted task resumes
 * from the run's last completed epoch; a task whose run another runner holds
 * waits for it as `sweepspec run` would.
 */
export async function runSubmissionTask(options: TaskRunOptions): Promise<TaskRun> {
  const { record, plan } = await readSubmission(options.dir);
  const task = record.tasks.find((t) => t.index === options.index);
  if (!task) {
    throw new LaunchError('TASK_OUT_OF_RANGE', `${options.dir}: no task ${options.index}; the submission has tasks 0-${record.tasks.length - 1}`, 2);
  }
  const summary = await runSweep({
    plan: checkedPlan(plan, task),
    specDir: record.spec_dir,
    resultsDir: record.results_dir,
    // The whole plan (runSweep writes it as the study's plan.json), with only this task's run
    // selected: an id is 12 hex digits, which as a glob matches that id alone; a slot's label
    // (`<experiment>#<n>`) matches that slot alone and no run name.
    selection: { only: task.run_id, rerun: record.rerun },
    jobs: 1,
    backend: record.backend,
    executor: options.executor,
    signal: options.signal,
    onEvent: options.onEvent,
    // --rerun decisions count from the submission, so a requeued task resumes its own work.
    startedAt: new Date(record.created_at),
  });
  return { record, task, summary };
}

function checkedPlan(plan: RunPlan, task: SubmissionTask): RunPlan {
  const known = task.slot ? planSlots(plan).some((slot) => slot.label === task.run_id) : plan.runs.some((run) => run.id === task.run_id);
  if (!known) {
    throw new LaunchError('SUBMISSION_UNREADABLE', `task ${task.index}'s ${task.slot ? 'search slot' : 'run'} ${task.run_id} is not in the submission's plan.json`, 2);
  }
  return plan;
}

/** Where a submission's study results live: <results>/<study>. */
export function studyResultsDir(record: SubmissionRecord, plan: RunPlan): string {
  return join(record.results_dir, plan.name);
}
