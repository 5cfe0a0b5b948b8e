/**
 * The kept weights of a finished run, for `sweepspec predict RUN_DIR`: the
 * run's config (architecture, image size), its class names and the
 * checkpoint of the epoch `select` kept.
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { UserError } from '../../bin/user-error.js';
import type { RunConfig } from '../../compiler/types/run-config.js';
import type { RunRecord } from '../results/records.js';
import { findCheckpoint } from '../results/run-checkpoints.js';
import { runPaths, specPaths } from '../results/run-paths.js';
import { modelFileOf } from '../results/model-file.js';

export interface RunWeights {
  readonly config: RunConfig;
  readonly classes: readonly string[];
  readonly epoch: number;
  readonly file: string;
}

async function readJson<T>(file: string, what: string): Promise<T> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch (error) {
    throw new UserError(`${what} ${file} cannot be read: ${(error as Error).message}`);
  }
}

export async function runWeights(runDir: string): Promise<RunWeights> {
  const specRoot = dirname(dirname(resolve(runDir)));
  const paths = runPaths(specPaths(dirname(specRoot), basename(specRoot)), basename(resolve(runDir)));
  const config = await readJson<RunConfig>(paths.config, 'run config');
  const record = await readJson<RunRecord>(paths.record, 'run record');
  const epoch = record.best_epoch ?? record.epochs_completed;
  if (!record.classes || epoch < 1) throw new UserError(`run ${runDir} has no trained weights yet (status: ${record.status})`);
  const checkpoint = await findCheckpoint(paths, epoch);
  if (checkpoint === null && record.weights_pruned) {
    throw new UserError(`the weights of run ${runDir} were removed by \`sweepspec prune --weights\`; retrain it with \`sweepspec run --rerun all --only ${record.id}\``);
  }
  if (checkpoint === null) throw new UserError(`run ${runDir} has no checkpoint of epoch ${epoch}, the one it kept`);
  if (!('manifest' in checkpoint)) throw new UserError(`the checkpoint of epoch ${epoch} in ${runDir} is unusable: ${checkpoint.message}`);
  return { config, classes: record.classes, epoch, file: modelFileOf(checkpoint) };
}
