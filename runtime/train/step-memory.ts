/**
 * How many bytes of tensors one training step holds at its peak, measured on
 * batches of one and two images and extrapolated linearly to the run's
 * batch. Used before training on wasm, whose heap cannot grow past 4 GiB: a
 * step beyond it aborts the WebAssembly instance (and with worker threads
 * hangs the process) instead of throwing, so it is refused up front.
 */
import * as tf from '../backend/tf.js';
import type { Network } from '../models/network.js';

export interface StepMemoryEstimate {
  /** Tensor bytes alive at the peak of a step of `batch` images, weights and optimizer-free. */
  readonly stepBytes: number;
  readonly perImageBytes: number;
}

/**
 * Peak tensor bytes, above what was alive before, of one gradient
 * computation on `inputs` (the suffix's input: images or cached features).
 * Nothing is applied: weights and running statistics stay as they are.
 */
export async function stepPeakBytes(network: Network, inputs: tf.Tensor): Promise<number> {
  const labels = tf.tidy(() => tf.oneHot(tf.zeros([inputs.shape[0]], 'int32') as tf.Tensor1D, network.numClasses));
  const variables = network.trainableNames.map((name) => network.parameters.get(name) as tf.Variable);
  const before = tf.memory().numBytes;
  try {
    const info = await tf.profile(() => {
      const { value, grads } = tf.variableGrads(() => {
        const result = network.forwardSuffix(inputs, { training: true, dropoutSeed: 0 });
        for (const update of result.batchNormUpdates.values()) update.dispose();
        return tf.losses.softmaxCrossEntropy(labels, result.logits) as tf.Scalar;
      }, variables);
      tf.dispose([value, ...Object.values(grads)]);
    });
    return info.peakBytes - before;
  } finally {
    labels.dispose();
  }
}

async function peakOfRepeated(network: Network, features: tf.Tensor, batch: number): Promise<number> {
  const inputs = tf.tidy(() => tf.concat(Array.from({ length: batch }, () => features)));
  try {
    return await stepPeakBytes(network, inputs);
  } finally {
    inputs.dispose();
  }
}

/** Runs two small steps (batch 1 and 2) without changing any weight or statistic. */
export async function estimateStepMemory(network: Network, imageSize: number, batch: number): Promise<StepMemoryEstimate> {
  const image = tf.zeros([1, imageSize, imageSize, 3]) as tf.Tensor4D;
  const features = network.forwardPrefix(image);
  image.dispose();
  try {
    const one = await peakOfRepeated(network, features, 1);
    const two = await peakOfRepeated(network, features, 2);
    const perImageBytes = Math.max(0, two - one);
    return { stepBytes: one + (batch - 1) * perImageBytes, perImageBytes };
  } finally {
    features.dispose();
  }
}

/** wasm32 addresses 4 GiB; the rest is left for XNNPACK's packed weights and the composed kernels' scratch. */
export const WASM_TENSOR_BUDGET_BYTES = 3.5 * 2 ** 30;

const gib = (bytes: number): string => (bytes / 2 ** 30).toFixed(1);

/**
 * Null when a training step of `batch` images fits wasm's memory beside the
 * tensors already alive; else why not, and what would fit.
 */
export async function wasmMemoryRefusal(network: Network, imageSize: number, batch: number): Promise<string | null> {
  const { stepBytes, perImageBytes } = await estimateStepMemory(network, imageSize, batch);
  const resident = tf.memory().numBytes;
  if (resident + stepBytes <= WASM_TENSOR_BUDGET_BYTES) return null;
  const fixed = stepBytes - batch * perImageBytes;
  const largestBatch = perImageBytes > 0 ? Math.floor((WASM_TENSOR_BUDGET_BYTES - resident - fixed) / perImageBytes) : 0;
  return (
    `a training step of ${batch} images at ${imageSize} px needs about ${gib(resident + stepBytes)} GB of tensors ` +
    `(${(perImageBytes / 2 ** 20).toFixed(0)} MB per image) and the wasm backend can address 4 GB, ${gib(WASM_TENSOR_BUDGET_BYTES)} of it for tensors: ` +
    `${largestBatch >= 1 ? `use data.batch_size ${largestBatch} or less, ` : ''}train fewer layers (model.trainable_layers), ` +
    'use a smaller data.image_size, or the native backend (sweepspec setup native)'
  );
}
