import type { RunPlan } from '../../compiler/types/plan.js';
import type { RunStatusRow } from '../runner/sweep-status.js';
import { LaunchError } from './launch-error.js';
import { formatSchedulerView, schedulerView, type SubmissionView } from './slurm/scheduler-view.js';
import { runSlurm, type SlurmRunner } from './slurm/slurm-commands.js';
import { slurmSubmissionStates } from './slurm/submission-states.js';
import { listSubmissions } from './submission.js';
import { readSlotProposals } from './read-plan-records.js';
import { formatKubernetesView } from './kubernetes/cluster-view.js';
import { readKubernetesStatus, type KubernetesStatus } from './kubernetes/read-cluster-status.js';

export interface SchedulerStatus {
  readonly submissions: readonly SubmissionView[];
  /** Why the scheduler's view is missing although the study was submitted (e.g. no squeue here). */
  readonly unavailable?: string;
  /** Kubernetes submissions, when the study has any. */
  readonly kubernetes?: KubernetesStatus;
}

/** For `sweepspec status`: the scheduler's view of a study's submissions (none: not submitted). */
export async function readSchedulerStatus(plan: RunPlan, resultsDir: string, run: SlurmRunner = runSlurm): Promise<SchedulerStatus> {
  const proposals = await readSlotProposals(plan, resultsDir, new Map());
  // A search slot's task names its slot; once the slot has proposed its run, show that run.
  const resolve = <T extends { readonly runId: string }>(task: T): T => ({ ...task, runId: proposals.get(task.runId) ?? task.runId });
  const kubernetes = await readKubernetesStatus(resultsDir, plan.name);
  const slurm = await readSlurmStatus(plan, resultsDir, run);
  const resolved: SchedulerStatus = { ...slurm, submissions: slurm.submissions.map((s) => ({ ...s, tasks: s.tasks.map(resolve) })) };
  const k8s = { ...kubernetes, submissions: kubernetes.submissions.map((s) => ({ ...s, tasks: s.tasks.map(resolve) })) };
  return kubernetes.submissions.length > 0 || kubernetes.unavailable ? { ...resolved, kubernetes: k8s } : resolved;
}

async function readSlurmStatus(plan: RunPlan, resultsDir: string, run: SlurmRunner): Promise<SchedulerStatus> {
  const submitted = (await listSubmissions(resultsDir, plan.name)).some((s) => s.record.engine === 'slurm');
  if (!submitted) return { submissions: [] };
  try {
    return { submissions: schedulerView(await slurmSubmissionStates(run, resultsDir, plan.name)) };
  } catch (error) {
    if (error instanceof LaunchError) return { submissions: [], unavailable: `${error.message.split(':')[0]}: Slurm's view of the submitted runs is left out` };
    throw error;
  }
}

export function formatSchedulerStatus(status: SchedulerStatus, rows: readonly RunStatusRow[]): string {
  const kubernetes = status.kubernetes?.unavailable ? `\n${status.kubernetes.unavailable}\n` : formatKubernetesView(status.kubernetes?.submissions ?? [], rows);
  if (status.unavailable) return `\n${status.unavailable}\n${kubernetes}`;
  return formatSchedulerView(status.submissions, rows) + kubernetes;
}
