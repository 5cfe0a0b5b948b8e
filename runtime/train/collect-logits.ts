import * as tf from '../backend/tf.js';
import type { BatchSource, ImageSample } from '../data/types.js';
import type { Network } from '../models/network.js';

/** Eval-mode logits of every image of a source, read back to the CPU, in the source's order. */
export interface CollectedLogits {
  readonly numClasses: number;
  /** Row-major [images, classes]. */
  readonly logits: Float32Array;
  readonly labels: Int32Array;
  readonly samples: readonly ImageSample[];
  /** Batch boundaries: image count of each batch (losses average per batch like ignite's Loss metric). */
  readonly batchSizes: readonly number[];
}

/**
 * Runs the network's suffix in inference mode (running BatchNorm statistics,
 * no dropout) over one pass of `source`; each batch's work is tidied and its
 * inputs disposed.
 */
export async function collectLogits(network: Network, source: BatchSource, epoch: number): Promise<CollectedLogits> {
  const numClasses = network.numClasses;
  const chunks: Float32Array[] = [];
  const labels: number[] = [];
  const samples: ImageSample[] = [];
  const batchSizes: number[] = [];
  for await (const batch of source.batches(epoch)) {
    try {
      const logits = tf.tidy(() => {
        const result = network.forwardSuffix(batch.inputs, { training: false });
        for (const update of result.batchNormUpdates.values()) update.dispose();
        return result.logits;
      });
      chunks.push((await logits.data()) as Float32Array);
      logits.dispose();
      for (const label of batch.labels) labels.push(label);
      samples.push(...batch.samples);
      batchSizes.push(batch.labels.length);
    } finally {
      batch.inputs.dispose();
    }
  }
  const all = new Float32Array(labels.length * numClasses);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.length;
  }
  return { numClasses, logits: all, labels: Int32Array.from(labels), samples, batchSizes };
}
