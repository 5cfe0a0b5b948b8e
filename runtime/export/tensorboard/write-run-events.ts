import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { PlannedRun } from '../../../compiler/types/plan.js';
import { readEpochMetrics } from '../../results/metrics-log.js';
import { readJsonFile, readRunRecord } from '../../results/record-file.js';
import type { TestEvaluation } from '../../results/records.js';
import type { RunPaths } from '../../results/run-paths.js';
import { encodeEventFile } from './encode-events.js';
import { syncEventFile, type SyncOutcome } from './event-file.js';
import { runEvents } from './run-events.js';
import type { StudyHParams } from './study-hparams.js';
import { runDirName } from './tensorboard-paths.js';

export interface WriteRunEventsOptions {
  readonly run: PlannedRun;
  /** The run's folder in the results store (record.json, metrics.jsonl, evaluation.json). */
  readonly paths: RunPaths;
  /** The study's TensorBoard folder. */
  readonly outDir: string;
  readonly hparams: StudyHParams;
}

/**
 * Brings one run's event file in line with the results store: the live path
 * calls it as the run moves (start, each epoch, end), `export tensorboard`
 * once per run; both write the same bytes for the same store. A run that
 * never started has no record time and gets no folder.
 */
export async function writeRunEvents(options: WriteRunEventsOptions): Promise<SyncOutcome | 'not-started'> {
  const { run, paths } = options;
  const record = await readRunRecord(paths.record);
  if (!record?.started_at || record.status === 'pending') return 'not-started';
  const history = await readEpochMetrics(paths.metrics);
  const evaluation = record.status === 'completed' ? await readJsonFile<TestEvaluation>(paths.evaluation) : null;
  // vega and sharp load only for a run that has a confusion matrix to draw.
  const confusion = Array.isArray(evaluation?.confusion) && evaluation.confusion.length > 0
    ? await (await import('./confusion-image.js')).confusionImage({ runName: run.name, classes: record.classes ?? evaluation.report?.classes ?? [], confusion: evaluation.confusion })
    : null;
  const bytes = encodeEventFile(runEvents({ run, record, history, evaluation, confusion, hparams: options.hparams }));
  const name = runDirName(run);
  await removeRenamedFolders(options.outDir, run.id, name);
  return syncEventFile(join(options.outDir, name), bytes);
}

/** A run renamed in the plan (same config, so the same id) leaves its old folder: it would show as a second session. */
async function removeRenamedFolders(outDir: string, id: string, keep: string): Promise<void> {
  const names = await readdir(outDir).catch(() => [] as string[]);
  for (const name of names) if (name !== keep && name.endsWith(`_${id}`)) await rm(join(outDir, name), { recursive: true, force: true });
}
