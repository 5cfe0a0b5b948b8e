import type { BatchSource } from '../data/types.js';
import type { Network } from '../models/network.js';
import { writeFileAtomic, writeJsonAtomic } from '../results/atomic-write.js';
import type { RunPaths } from '../results/run-paths.js';
import { evaluate } from '../train/index.js';

/** Evaluates the network (holding the kept weights) and writes evaluation.json and predictions.jsonl. */
export async function writeTestResult(
  paths: RunPaths,
  options: { network: Network; classes: readonly string[]; epoch: number; split: 'test' | 'validation'; source: BatchSource },
): Promise<void> {
  const result = await evaluate({ network: options.network, source: options.source, classes: options.classes, split: options.split, epoch: options.epoch });
  await writeFileAtomic(paths.predictions, result.predictions.map((p) => `${JSON.stringify(p)}\n`).join(''));
  await writeJsonAtomic(paths.evaluation, result.evaluation);
}
