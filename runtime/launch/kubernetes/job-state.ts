/**
 * Which tasks of an earlier Kubernetes submission still hold their runs, from
 * the Indexed Job's status as `kubectl get job -o json` prints it. Pure.
 */
import { jobOutcome, type JobReading } from './wait-job.js';

export interface IndexedJobStatus {
  readonly completedIndexes?: string;
  readonly failedIndexes?: string;
  readonly conditions?: readonly { readonly type: string; readonly status: string }[];
}

/** `"0-2,5,7-8"` -> {0,1,2,5,7,8}: the API's compressed index lists. */
export function parseIndexes(text: string | undefined): Set<number> {
  const out = new Set<number>();
  for (const part of (text ?? '').split(',')) {
    const match = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!match) continue;
    const end = Number(match[2] ?? match[1]);
    for (let i = Number(match[1]); i <= end; i++) out.add(i);
  }
  return out;
}

/**
 * Task indexes that will still train (pending, running, or waiting for a
 * retry): none once the Job has finished or is gone; otherwise every index
 * neither completed nor failed for good.
 */
export function activeIndexes(job: { readonly status?: IndexedJobStatus } | null, taskCount: number): number[] {
  const reading: JobReading = job ? { status: 200, job } : { status: 404 };
  if (jobOutcome(reading) !== null) return [];
  const done = new Set([...parseIndexes(job?.status?.completedIndexes), ...parseIndexes(job?.status?.failedIndexes)]);
  return Array.from({ length: taskCount }, (_, i) => i).filter((i) => !done.has(i));
}
