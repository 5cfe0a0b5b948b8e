/**
 * `sweepspec status` for Kubernetes submissions: what the cluster says of each
 * task (its index in the Indexed Job and that index's newest pod) next to the
 * run's own state. Pure over the JSON `kubectl get` printed.
 */
import type { RunStatusRow } from '../../runner/sweep-status.js';
import type { SubmissionRecord } from '../submission.js';
import { activeIndexes, parseIndexes, type IndexedJobStatus } from './job-state.js';
import { jobOutcome } from './wait-job.js';

interface PodJson {
  readonly metadata?: { readonly name?: string; readonly creationTimestamp?: string; readonly annotations?: Record<string, string> };
  readonly spec?: { readonly nodeName?: string };
  readonly status?: {
    readonly phase?: string;
    readonly reason?: string;
    readonly conditions?: readonly { readonly type: string; readonly status: string; readonly reason?: string; readonly message?: string }[];
  };
}

export interface ClusterJobs {
  /** null: the Job does not exist (deleted, or removed after its TTL). */
  readonly train: { readonly status?: IndexedJobStatus } | null;
  readonly report: { readonly status?: IndexedJobStatus } | null;
  readonly pods: readonly PodJson[];
}

export interface KubernetesTaskView {
  readonly index: number;
  readonly runId: string;
  readonly name: string;
  readonly pod: string;
  readonly text: string;
}

export interface KubernetesSubmissionView {
  readonly id: string;
  readonly trainJob: string;
  readonly namespace: string;
  readonly report: string;
  readonly tasks: readonly KubernetesTaskView[];
}

const INDEX = 'batch.kubernetes.io/job-completion-index';

export function kubernetesView(record: SubmissionRecord, jobs: ClusterJobs): KubernetesSubmissionView {
  const completed = parseIndexes(jobs.train?.status?.completedIndexes);
  const failed = parseIndexes(jobs.train?.status?.failedIndexes);
  const active = new Set(activeIndexes(jobs.train, record.tasks.length));
  const newest = new Map<number, PodJson>();
  for (const pod of jobs.pods) {
    const index = Number(pod.metadata?.annotations?.[INDEX]);
    const seen = newest.get(index);
    if (!seen || (pod.metadata?.creationTimestamp ?? '') > (seen.metadata?.creationTimestamp ?? '')) newest.set(index, pod);
  }
  return {
    id: record.id,
    trainJob: record.jobs.train,
    namespace: record.jobs.namespace,
    report: describeReport(jobs),
    tasks: record.tasks.map((task) => {
      const pod = newest.get(task.index);
      const text = completed.has(task.index)
        ? 'completed'
        : failed.has(task.index)
          ? 'failed for good (retries used up)'
          : !active.has(task.index)
            ? jobs.train === null ? 'Job deleted' : 'stopped with the Job'
            : describePod(pod);
      return { index: task.index, runId: task.run_id, name: task.name, pod: pod?.metadata?.name ?? '-', text };
    }),
  };
}

function describePod(pod: PodJson | undefined): string {
  if (!pod) return 'waiting for a pod (--max-parallel or a retry)';
  const phase = pod.status?.phase ?? 'Unknown';
  if (phase === 'Pending') {
    const unscheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
    return unscheduled ? `queued (${unscheduled.reason ?? 'not scheduled'}: ${unscheduled.message ?? ''})`.replace(/: \)$/, ')') : `starting on ${pod.spec?.nodeName ?? '?'}`;
  }
  if (phase === 'Running') return `running on ${pod.spec?.nodeName ?? '?'}`;
  if (phase === 'Failed') return `pod failed${pod.status?.reason ? ` (${pod.status.reason})` : ''}; a new one follows`;
  return phase.toLowerCase();
}

function describeReport(jobs: ClusterJobs): string {
  if (jobs.report === null) return 'gone';
  const outcome = jobOutcome({ status: 200, job: jobs.report });
  if (outcome === 'complete') return 'report written';
  if (outcome === 'failed') return 'failed';
  return jobs.train !== null && jobOutcome({ status: 200, job: jobs.train }) === null ? 'waits for the Indexed Job' : 'writing the report';
}

export function formatKubernetesView(views: readonly KubernetesSubmissionView[], rows: readonly RunStatusRow[]): string {
  const byId = new Map(rows.map((row) => [row.id, row]));
  const lines: string[] = [];
  for (const view of views) {
    lines.push('', `Kubernetes submission ${view.id}: Indexed Job ${view.trainJob} (namespace ${view.namespace}), report Job: ${view.report}`);
    const nameWidth = Math.max(4, ...view.tasks.map((t) => t.name.length));
    const podWidth = Math.max(3, ...view.tasks.map((t) => t.pod.length));
    lines.push(`  index  ${'id'.padEnd(12)}  ${'name'.padEnd(nameWidth)}  ${'run'.padEnd(18)}  ${'pod'.padEnd(podWidth)}  kubernetes`);
    for (const task of view.tasks) {
      const row = byId.get(task.runId);
      // A search slot's task shows its label until the slot has proposed its run (readSchedulerStatus resolves it).
      const run = row ? `${row.status} ${row.epochsCompleted}/${row.epochs}` : task.runId.includes('#') ? 'to be proposed' : 'not in the plan now';
      lines.push(`  ${String(task.index).padEnd(5)}  ${task.runId.padEnd(12)}  ${task.name.padEnd(nameWidth)}  ${run.padEnd(18)}  ${task.pod.padEnd(podWidth)}  ${task.text}`);
    }
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}
