import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunPlan } from '../../compiler/types/plan.js';
import { writeJsonAtomic } from '../results/atomic-write.js';
import type { BackendRequest } from '../runner/executor.js';
import type { RerunMode } from '../runner/select-runs.js';
import { LaunchError } from './launch-error.js';

/**
 * A submission of a study to a cluster scheduler, recorded under the study's
 * results folder:
 *
 *   <results>/<study>/submissions/<id>/plan.json        the frozen RunPlan the tasks train
 *   <results>/<study>/submissions/<id>/submission.json  SubmissionRecord (only once the scheduler accepted)
 *   <results>/<study>/submissions/<id>/...              engine files (batch scripts, manifests, logs)
 *
 * A folder without submission.json is a submission that never happened (the
 * scheduler refused it, or submit died first): readers ignore it.
 */
export interface SubmissionRecord {
  readonly version: 1;
  readonly id: string;
  readonly engine: 'slurm' | 'kubernetes';
  readonly created_at: string;
  /** The spec path as given at submit time (plan.spec). */
  readonly spec: string;
  /** Absolute folder of the spec: the plan's relative data roots resolve from it on every node. */
  readonly spec_dir: string;
  /** Absolute results folder (the parent of <study>/). */
  readonly results_dir: string;
  readonly backend: BackendRequest;
  readonly rerun?: RerunMode;
  /** Task index -> run: index N of the array trains `tasks[N]`. */
  readonly tasks: readonly SubmissionTask[];
  /** The scheduler's names for the submission (Slurm: array and report job ids; Kubernetes: job names, namespace). */
  readonly jobs: Readonly<Record<string, string>>;
}

export interface SubmissionTask {
  readonly index: number;
  /** The run's id; for a slot task, the slot's label (`<experiment>#<n>`): its run is proposed when the task starts. */
  readonly run_id: string;
  readonly name: string;
  /** A proposal slot of a model-based search (tpe) rather than a planned run. */
  readonly slot?: true;
}

export interface StoredSubmission {
  readonly dir: string;
  readonly record: SubmissionRecord;
}

export function submissionsDir(resultsDir: string, study: string): string {
  return join(resultsDir, study, 'submissions');
}

/** Sortable by time, unique across login nodes: `20261202T104512Z-3f9c`. */
export function newSubmissionId(now: Date, random: () => string = () => randomBytes(2).toString('hex')): string {
  return `${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${random()}`;
}

/** Creates the submission folder holding the frozen plan; submission.json comes later, once accepted. */
export async function prepareSubmission(dir: string, plan: RunPlan): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeJsonAtomic(join(dir, 'plan.json'), plan);
}

export async function recordSubmission(dir: string, record: SubmissionRecord): Promise<void> {
  await writeJsonAtomic(join(dir, 'submission.json'), record);
}

export async function readSubmission(dir: string): Promise<{ record: SubmissionRecord; plan: RunPlan }> {
  const read = async <T>(name: string): Promise<T> => {
    try {
      return JSON.parse(await readFile(join(dir, name), 'utf8')) as T;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'not found (was the submission accepted?)' : (error as Error).message;
      throw new LaunchError('SUBMISSION_UNREADABLE', `${join(dir, name)}: ${why}`, 2);
    }
  };
  return { record: await read<SubmissionRecord>('submission.json'), plan: await read<RunPlan>('plan.json') };
}

/** Every accepted submission of a study, oldest first. */
export async function listSubmissions(resultsDir: string, study: string): Promise<StoredSubmission[]> {
  const root = submissionsDir(resultsDir, study);
  const names = await readdir(root).catch(() => [] as string[]);
  const found: StoredSubmission[] = [];
  for (const name of names.sort()) {
    const text = await readFile(join(root, name, 'submission.json'), 'utf8').catch(() => null);
    if (text !== null) found.push({ dir: join(root, name), record: JSON.parse(text) as SubmissionRecord });
  }
  return found;
}

/**
 * Task indexes that `cancel` stopped on purpose: a task that gets SIGTERM
 * reads this to tell a cancel (stay stopped) from a time limit or preemption
 * (requeue and continue).
 */
export async function markCancelled(dir: string, indexes: readonly number[]): Promise<void> {
  const previous = await readCancelled(dir);
  await writeJsonAtomic(join(dir, 'cancelled.json'), { indexes: [...new Set([...previous, ...indexes])].sort((a, b) => a - b) });
}

export async function readCancelled(dir: string): Promise<number[]> {
  const text = await readFile(join(dir, 'cancelled.json'), 'utf8').catch(() => null);
  return text === null ? [] : (JSON.parse(text) as { indexes: number[] }).indexes;
}
