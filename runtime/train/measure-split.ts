import type { BatchSource } from '../data/types.js';
import type { Network } from '../models/network.js';
import { collectLogits, type CollectedLogits } from './collect-logits.js';
import { crossEntropyFromLogProbs, logSoftmaxRows, type LossOptions } from './loss.js';

export interface SplitMeasure {
  readonly loss: number;
  readonly accuracy: number;
  readonly samples: number;
}

/** Validation loss (the training criterion) and accuracy of the network in inference mode. */
export async function measureSplit(
  network: Network,
  source: BatchSource,
  epoch: number,
  loss: LossOptions,
): Promise<SplitMeasure> {
  return lossAndAccuracy(await collectLogits(network, source, epoch), loss);
}

/**
 * Loss averaged over samples as ignite's Loss metric does (each batch's mean
 * loss weighted by the batch size), accuracy = argmax hits / images (first
 * maximum on ties, like torch.argmax).
 */
export function lossAndAccuracy(collected: CollectedLogits, loss: LossOptions): SplitMeasure {
  const { numClasses, logits, labels, batchSizes } = collected;
  const logProbs = logSoftmaxRows(logits, numClasses);
  let lossSum = 0;
  let start = 0;
  for (const size of batchSizes) {
    const rows = logProbs.subarray(start * numClasses, (start + size) * numClasses);
    lossSum += crossEntropyFromLogProbs(rows, labels.subarray(start, start + size), numClasses, loss) * size;
    start += size;
  }
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (argMax(logits, i * numClasses, numClasses) === labels[i]) correct += 1;
  const samples = labels.length;
  return { loss: samples === 0 ? NaN : lossSum / samples, accuracy: samples === 0 ? NaN : correct / samples, samples };
}

/** Index of the first maximum of row `[start, start + length)`; NaN never wins unless all are NaN. */
export function argMax(values: ArrayLike<number>, start: number, length: number): number {
  let best = 0;
  for (let c = 1; c < length; c++) if (values[start + c] > values[start + best]) best = c;
  return best;
}
