import type { RunPlan } from '../../../compiler/types/plan.js';
import { selectRuns } from '../../runner/select-runs.js';
import { selectSlots } from '../../search/run-slot.js';
import { markCancelled } from '../submission.js';
import { isActive } from './queue-state.js';
import { runSlurm, slurmOrThrow, type SlurmRunner } from './slurm-commands.js';
import { slurmSubmissionStates } from './submission-states.js';

export interface CancelOutcome {
  /** Array tasks cancelled, as `array_index`, with their run names. */
  readonly tasks: readonly { readonly jobId: string; readonly name: string }[];
  /** Report jobs cancelled (only when every task of their submission went). */
  readonly reports: readonly string[];
}

/**
 * Cancels the queued and running tasks of a study's Slurm submissions (those
 * of the runs matching `only`). Each cancelled index is written to the
 * submission's cancelled.json before scancel, so a task that gets SIGTERM
 * knows not to requeue itself; its run stops after the current step and
 * stays resumable. A submission's report job goes too when none of its
 * tasks is left.
 */
export async function cancelSlurm(options: { plan: RunPlan; resultsDir: string; only?: string; run?: SlurmRunner }): Promise<CancelOutcome> {
  const run = options.run ?? runSlurm;
  // Tasks name planned runs by id and search slots by label.
  const chosen = new Set([...selectRuns(options.plan.runs, { only: options.only }).map((r) => r.id), ...selectSlots(options.plan, { only: options.only }).map((s) => s.label)]);
  const tasks: { jobId: string; name: string }[] = [];
  const reports: string[] = [];
  for (const { submission, tasks: states, report } of await slurmSubmissionStates(run, options.resultsDir, options.plan.name)) {
    const active = submission.record.tasks.filter((task) => isActive(states.get(task.index)?.state ?? ''));
    const cancelling = active.filter((task) => chosen.has(task.run_id));
    const ids = cancelling.map((task) => `${submission.record.jobs.array}_${task.index}`);
    if (report && isActive(report.state) && cancelling.length === active.length) ids.push(report.jobId);
    if (ids.length === 0) continue;
    await markCancelled(submission.dir, cancelling.map((task) => task.index));
    await slurmOrThrow(run, 'scancel', ids);
    tasks.push(...cancelling.map((task) => ({ jobId: `${submission.record.jobs.array}_${task.index}`, name: task.name })));
    if (report && ids.includes(report.jobId)) reports.push(report.jobId);
  }
  return { tasks, reports };
}
