/**
 * `submit --kubernetes`: the runs that still need training become the tasks
 * of one Indexed Job. The submission folder (frozen plan.json, then
 * submission.json) is written into the results folder before anything is
 * applied, because the pods read it as soon as they start; this is why submit
 * runs where the results claim's storage is mounted (docs/cluster.md). If
 * kubectl refuses the manifests the folder is removed again: nothing is
 * recorded as submitted.
 */
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunPlan } from '../../../compiler/types/plan.js';
import type { RunConfig } from '../../../compiler/types/run-config.js';
import { writeFileAtomic } from '../../results/atomic-write.js';
import type { BackendRequest } from '../../runner/executor.js';
import type { RerunMode } from '../../runner/select-runs.js';
import { LaunchError } from '../launch-error.js';
import { listSubmissions, newSubmissionId, prepareSubmission, recordSubmission, submissionsDir, type SubmissionRecord } from '../submission.js';
import { buildTaskList, type TaskList } from '../task-list.js';
import { activeIndexes } from './job-state.js';
import { findOnPath, KUBECTL_MISSING_MESSAGE, kubectlApply, kubectlGetJob } from './kubectl.js';
import type { KubernetesOptions } from './options.js';
import { prepareKubernetesSubmission } from './prepare-submission.js';
import { readStoredProgress } from '../read-plan-records.js';

export interface KubernetesSubmitOptions {
  readonly plan: RunPlan;
  /** Absolute folder of the spec. */
  readonly specDir: string;
  /** Absolute results folder: where the results claim's storage is mounted here. */
  readonly resultsDir: string;
  readonly backend: BackendRequest;
  readonly only?: string;
  readonly rerun?: RerunMode;
  readonly kubernetes: KubernetesOptions;
  readonly weightsDir: string;
  readonly dryRun: boolean;
  /** --out: an absolute path for the manifests. */
  readonly out?: string;
  readonly apply: boolean;
  readonly env?: NodeJS.ProcessEnv;
  readonly now?: Date;
}

export type KubernetesSubmitOutcome =
  | { readonly kind: 'nothing'; readonly list: TaskList; readonly notices: readonly string[] }
  | { readonly kind: 'dry-run'; readonly list: TaskList; readonly yaml: string; readonly notices: readonly string[] }
  | {
      readonly kind: 'submitted';
      readonly list: TaskList;
      readonly dir: string;
      readonly record: SubmissionRecord;
      readonly yaml: string;
      /** kubectl apply's output, when --apply. */
      readonly applied?: string;
      readonly notices: readonly string[];
    };

export async function submitKubernetes(options: KubernetesSubmitOptions): Promise<KubernetesSubmitOutcome> {
  const env = options.env ?? process.env;
  const now = options.now ?? new Date();
  if (options.apply && !findOnPath('kubectl', env)) throw new LaunchError('SCHEDULER_MISSING', KUBECTL_MISSING_MESSAGE, 2);
  const notices: string[] = [];
  const active = await activeRuns(options, env, notices);
  const list = buildTaskList({
    plan: options.plan,
    ...(await readStoredProgress(options.plan, options.resultsDir)),
    active,
    only: options.only,
    rerun: options.rerun,
    now,
  });
  if (list.tasks.length === 0) return { kind: 'nothing', list, notices };

  const id = newSubmissionId(now);
  const dir = join(submissionsDir(options.resultsDir, options.plan.name), id);
  const byId = new Map(options.plan.runs.map((run) => [run.id, run]));
  const prepared = prepareKubernetesSubmission({
    options: options.kubernetes,
    study: options.plan.name,
    submissionId: id,
    submissionDir: dir,
    resultsDir: options.resultsDir,
    specDir: options.specDir,
    runs: list.tasks.map((task) => byId.get(task.run_id) ?? slotTaskRun(options.plan, task.run_id)),
    // A slot's run is proposed later: mount what any run of its experiment could need.
    volumeRuns: list.tasks.flatMap((task) => (task.slot ? experimentRuns(options.plan, task.run_id) : [])),
    weightsDir: options.weightsDir,
  });
  if (!prepared.ok) throw new LaunchError(prepared.code === 'K8S_VOLUMES' ? 'KUBERNETES_VOLUMES' : 'KUBERNETES_MANIFESTS', prepared.message, 2);
  notices.push(...prepared.notices);
  if (options.dryRun) return { kind: 'dry-run', list, yaml: prepared.yaml, notices };

  const record: SubmissionRecord = {
    version: 1,
    id,
    engine: 'kubernetes',
    created_at: now.toISOString(),
    spec: options.plan.spec,
    spec_dir: options.specDir,
    results_dir: options.resultsDir,
    backend: options.backend,
    ...(options.rerun ? { rerun: options.rerun } : {}),
    tasks: list.tasks,
    jobs: { namespace: options.kubernetes.namespace, train: prepared.trainJob, report: prepared.reportJob },
  };
  try {
    await prepareSubmission(dir, options.plan);
    await writeFile(join(dir, 'manifests.yaml'), prepared.yaml);
    await recordSubmission(dir, record);
    if (options.out) await writeFileAtomic(options.out, prepared.yaml);
    let applied: string | undefined;
    if (options.apply) {
      const result = await kubectlApply(prepared.yaml, env);
      if (!result.ok) throw new LaunchError(result.code === 'KUBECTL_MISSING' ? 'SCHEDULER_MISSING' : 'SCHEDULER_REJECTED', result.message, result.code === 'KUBECTL_MISSING' ? 2 : 1);
      applied = result.output;
    }
    return { kind: 'submitted', list, dir, record, yaml: prepared.yaml, ...(applied !== undefined ? { applied } : {}), notices };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    if (options.out) await rm(options.out, { force: true });
    throw error;
  }
}

/**
 * Runs that a task of an earlier Kubernetes submission will still train. With
 * kubectl at hand (--apply) the Jobs say so; without, earlier submissions are
 * not consulted: a run submitted twice is still trained once (the second pod
 * waits on the first one's lease and then finds the run completed), it only
 * holds a pod meanwhile.
 */
async function activeRuns(options: KubernetesSubmitOptions, env: NodeJS.ProcessEnv, notices: string[]): Promise<Set<string>> {
  const earlier = (await listSubmissions(options.resultsDir, options.plan.name)).filter((s) => s.record.engine === 'kubernetes');
  const active = new Set<string>();
  if (earlier.length === 0) return active;
  if (!options.apply) {
    notices.push(`without --apply the state of ${earlier.length} earlier Kubernetes submission${earlier.length === 1 ? '' : 's'} was not asked for: runs they still train are submitted again (and wait for them)`);
    return active;
  }
  for (const { record } of earlier) {
    const result = await kubectlGetJob(record.jobs.train, record.jobs.namespace, env);
    if (!result.ok) throw new LaunchError('SCHEDULER_FAILED', result.message, 1);
    for (const index of activeIndexes(result.value, record.tasks.length)) {
      const task = record.tasks.find((t) => t.index === index);
      if (task) active.add(task.run_id);
    }
  }
  return active;
}

/** The search experiment a slot label (`<experiment>#<n>`) belongs to. */
function slotExperiment(plan: RunPlan, label: string) {
  const experiment = plan.experiments.find((e) => e.search && label.startsWith(`${e.name}#`));
  if (!experiment?.search) throw new Error(`task ${label} is neither a run nor a search slot of the plan`);
  return { name: experiment.name, search: experiment.search };
}

/** What a slot task trains before its proposal exists: its experiment's base configuration, named by the slot's label. */
function slotTaskRun(plan: RunPlan, label: string): { name: string; config: RunConfig } {
  return { name: label, config: slotExperiment(plan, label).search.base };
}

/** The planned runs (startup draws) of a slot's experiment. */
function experimentRuns(plan: RunPlan, label: string): { name: string; config: RunConfig }[] {
  const { name } = slotExperiment(plan, label);
  return plan.runs.filter((run) => run.experiments.includes(name));
}
