import { listSubmissions } from '../submission.js';

/**
 * `sweepspec cancel` speaks to Slurm; a study's Kubernetes submissions are
 * cancelled with kubectl (docs/cluster.md, "Cancel"), so it names the command
 * for each of them rather than saying there is nothing to cancel.
 */
export async function kubernetesCancelHint(resultsDir: string, study: string): Promise<string> {
  const submissions = (await listSubmissions(resultsDir, study)).filter((s) => s.record.engine === 'kubernetes');
  return submissions
    .map(({ record }) => `Kubernetes submission ${record.id}: cancel it with kubectl -n ${record.jobs.namespace} delete job,serviceaccount,role,rolebinding -l sweepspec/submission=${record.id}\n`)
    .join('');
}
