import { listSubmissions, type StoredSubmission } from '../submission.js';
import { isActive, queryJobs, type SlurmJobState } from './queue-state.js';
import type { SlurmRunner } from './slurm-commands.js';

export interface SubmissionStates {
  readonly submission: StoredSubmission;
  /** Task index -> Slurm's state of that array task (absent: Slurm no longer knows it). */
  readonly tasks: ReadonlyMap<number, SlurmJobState>;
  readonly report?: SlurmJobState;
}

/** Every Slurm submission of a study with what Slurm says about each of its tasks now. */
export async function slurmSubmissionStates(run: SlurmRunner, resultsDir: string, study: string): Promise<SubmissionStates[]> {
  const submissions = (await listSubmissions(resultsDir, study)).filter((s) => s.record.engine === 'slurm');
  const ids = submissions.flatMap((s) => [s.record.jobs.array, s.record.jobs.report].filter((id): id is string => Boolean(id)));
  const jobs = await queryJobs(run, ids);
  return submissions.map((submission) => {
    const tasks = new Map<number, SlurmJobState>();
    for (const task of submission.record.tasks) {
      const state = jobs.get(`${submission.record.jobs.array}_${task.index}`);
      if (state) tasks.set(task.index, state);
    }
    const report = submission.record.jobs.report ? jobs.get(submission.record.jobs.report) : undefined;
    return { submission, tasks, ...(report ? { report } : {}) };
  });
}

/** Run ids that a queued or running task of some submission will train: submitting them again would train them twice. */
export function activeRunIds(states: readonly SubmissionStates[]): Set<string> {
  const active = new Set<string>();
  for (const { submission, tasks } of states) {
    for (const task of submission.record.tasks) {
      const state = tasks.get(task.index);
      if (state && isActive(state.state)) active.add(task.run_id);
    }
  }
  return active;
}
