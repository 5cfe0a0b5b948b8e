import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunPlan } from '../../../compiler/types/plan.js';
import type { BackendRequest } from '../../runner/executor.js';
import type { RerunMode } from '../../runner/select-runs.js';
import { prepareSubmission, recordSubmission, submissionsDir, newSubmissionId, type SubmissionRecord } from '../submission.js';
import { buildTaskList, type TaskList } from '../task-list.js';
import { LaunchError } from '../launch-error.js';
import { arrayScript, reportScript, type ScriptContext, type SlurmResources } from './batch-script.js';
import { missing, runSlurm, slurmOrThrow, type SlurmRunner } from './slurm-commands.js';
import { activeRunIds, slurmSubmissionStates } from './submission-states.js';
import { readStoredProgress } from '../read-plan-records.js';

export interface SlurmSubmitOptions {
  readonly plan: RunPlan;
  /** Absolute folder of the spec. */
  readonly specDir: string;
  /** Absolute results folder. */
  readonly resultsDir: string;
  readonly backend: BackendRequest;
  readonly only?: string;
  readonly rerun?: RerunMode;
  readonly resources: SlurmResources;
  readonly dryRun: boolean;
  /** Where the jobs start, and node and the CLI by absolute path (the same on every node). */
  readonly workDir: string;
  readonly node: string;
  readonly cli: string;
  readonly run?: SlurmRunner;
  readonly now?: Date;
}

export type SlurmSubmitOutcome =
  | { readonly kind: 'nothing'; readonly list: TaskList }
  | { readonly kind: 'dry-run'; readonly list: TaskList; readonly scripts: { readonly array: string; readonly report: string } }
  | { readonly kind: 'submitted'; readonly list: TaskList; readonly dir: string; readonly record: SubmissionRecord };

/**
 * One job array (a task per run still to train, `%N` for max parallel) and a
 * report job after it. The array is submitted held, the record written, then
 * the array released: a task never starts before submission.json names its
 * run, and a refusal anywhere leaves nothing recorded (and no job behind).
 */
export async function submitSlurm(options: SlurmSubmitOptions): Promise<SlurmSubmitOutcome> {
  const run = options.run ?? runSlurm;
  const now = options.now ?? new Date();
  if (!options.dryRun && (await run('sbatch', ['--version'])).code === 127) throw missing('sbatch');
  const states = await slurmSubmissionStates(run, options.resultsDir, options.plan.name).catch((error: unknown) => {
    if (options.dryRun) return []; // a dry run may be made away from the cluster: no queue to consult
    throw error;
  });
  const list = buildTaskList({
    plan: options.plan,
    ...(await readStoredProgress(options.plan, options.resultsDir)),
    active: activeRunIds(states),
    only: options.only,
    rerun: options.rerun,
    now,
  });
  if (list.tasks.length === 0) return { kind: 'nothing', list };

  const id = newSubmissionId(now);
  const dir = join(submissionsDir(options.resultsDir, options.plan.name), id);
  const context: ScriptContext = {
    study: options.plan.name,
    submissionId: id,
    submissionDir: dir,
    workDir: options.workDir,
    node: options.node,
    cli: options.cli,
    resources: options.resources,
  };
  const array = arrayScript(context, list.tasks.length);
  if (options.dryRun) return { kind: 'dry-run', list, scripts: { array, report: reportScript(context, '<array-job-id>') } };

  await prepareSubmission(dir, options.plan);
  await mkdir(join(dir, 'logs'), { recursive: true });
  const submitted: string[] = [];
  try {
    await writeFile(join(dir, 'array.sh'), array);
    const arrayId = jobId(await slurmOrThrow(run, 'sbatch', ['--parsable', '--hold', join(dir, 'array.sh')]));
    submitted.push(arrayId);
    await writeFile(join(dir, 'report.sh'), reportScript(context, arrayId));
    const reportId = jobId(await slurmOrThrow(run, 'sbatch', ['--parsable', join(dir, 'report.sh')]));
    submitted.push(reportId);
    const record: SubmissionRecord = {
      version: 1,
      id,
      engine: 'slurm',
      created_at: now.toISOString(),
      spec: options.plan.spec,
      spec_dir: options.specDir,
      results_dir: options.resultsDir,
      backend: options.backend,
      ...(options.rerun ? { rerun: options.rerun } : {}),
      tasks: list.tasks,
      jobs: { array: arrayId, report: reportId },
    };
    await recordSubmission(dir, record);
    await slurmOrThrow(run, 'scontrol', ['release', arrayId]);
    return { kind: 'submitted', list, dir, record };
  } catch (error) {
    if (submitted.length > 0) await run('scancel', submitted);
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** `sbatch --parsable` prints `id` or `id;cluster`. */
function jobId(stdout: string): string {
  return stdout.trim().split(';')[0];
}
