import { open, readFile } from 'node:fs/promises';
import type { EpochMetrics } from './records.js';
import { writeFileAtomic } from './atomic-write.js';

/**
 * metrics.jsonl: one EpochMetrics object per completed epoch, appended and
 * fsynced as each epoch ends. A resumed run first rewrites the file from the
 * history stored in the checkpoint it resumes from, so an epoch that ended
 * after the last checkpoint (and will be trained again) never appears twice.
 */
export async function appendEpochMetrics(path: string, metrics: EpochMetrics): Promise<void> {
  const handle = await open(path, 'a');
  try {
    await handle.write(`${JSON.stringify(metrics)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Replaces the log with exactly `history` (atomic). */
export async function rewriteEpochMetrics(path: string, history: readonly EpochMetrics[]): Promise<void> {
  await writeFileAtomic(path, history.map((metrics) => `${JSON.stringify(metrics)}\n`).join(''));
}

/** Reads the log; a torn last line (no newline: the writer died mid-append) is ignored. */
export async function readEpochMetrics(path: string): Promise<EpochMetrics[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const lines = text.split('\n');
  lines.pop(); // after the last newline: empty, or a torn line
  return lines.filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as EpochMetrics);
}
