import { listSubmissions } from '../submission.js';
import { kubernetesView, type ClusterJobs, type KubernetesSubmissionView } from './cluster-view.js';
import { findOnPath, kubectlGetJson } from './kubectl.js';
import { activeIndexes } from './job-state.js';

export interface KubernetesStatus {
  readonly submissions: readonly KubernetesSubmissionView[];
  /** Why the cluster's view is missing although the study was submitted (no kubectl here, no access). */
  readonly unavailable?: string;
}

/**
 * The Kubernetes submissions of a study as the cluster sees them, through
 * kubectl: those whose Indexed Job still has work, and always the latest.
 */
export async function readKubernetesStatus(resultsDir: string, study: string, env: NodeJS.ProcessEnv = process.env): Promise<KubernetesStatus> {
  const submissions = (await listSubmissions(resultsDir, study)).filter((s) => s.record.engine === 'kubernetes');
  if (submissions.length === 0) return { submissions: [] };
  if (!findOnPath('kubectl', env)) return { submissions: [], unavailable: "kubectl not found on PATH: the cluster's view of the Kubernetes submissions is left out" };
  const views: KubernetesSubmissionView[] = [];
  for (const [i, { record }] of submissions.entries()) {
    const ns = record.jobs.namespace;
    const [train, report, pods] = await Promise.all([
      kubectlGetJson<ClusterJobs['train']>(['job', record.jobs.train, '-n', ns], env),
      kubectlGetJson<ClusterJobs['report']>(['job', record.jobs.report, '-n', ns], env),
      kubectlGetJson<{ items: ClusterJobs['pods'] }>(['pods', '-n', ns, '-l', `job-name=${record.jobs.train}`], env),
    ]);
    for (const result of [train, report, pods]) if (!result.ok) return { submissions: views, unavailable: result.message };
    if (!train.ok || !report.ok || !pods.ok) continue;
    const jobs: ClusterJobs = { train: train.value, report: report.value, pods: pods.value?.items ?? [] };
    if (i === submissions.length - 1 || activeIndexes(jobs.train, record.tasks.length).length > 0) views.push(kubernetesView(record, jobs));
  }
  return { submissions: views };
}
