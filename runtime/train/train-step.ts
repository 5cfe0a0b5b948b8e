import * as tf from '../backend/tf.js';
import type { Batch } from '../data/types.js';
import type { Network } from '../models/network.js';
import { crossEntropy } from './loss.js';
import type { Optimizer } from './optimizers/optimizer.js';

export interface TrainStepOptions {
  readonly network: Network;
  readonly optimizer: Optimizer;
  readonly batch: Batch;
  readonly lr: number;
  readonly classWeights: tf.Tensor1D | null;
  readonly labelSmoothing: number;
  readonly dropoutSeed: number;
}

/** Batch loss and number of correct training-mode predictions; `applied` is false when the loss was not finite. */
export interface TrainStepResult {
  readonly loss: number;
  readonly correct: number;
  readonly applied: boolean;
}

/**
 * One optimizer step: forward the batch through the trainable suffix in
 * training mode, take gradients of the loss with respect to the trainable
 * parameters only, update them, then assign the new BatchNorm running
 * statistics. A non-finite loss changes nothing. A parameter the loss does
 * not reach gets no gradient and is skipped, as torch skips `grad is None`.
 * Does not dispose the batch.
 */
export function trainStep(options: TrainStepOptions): TrainStepResult {
  const { network, optimizer, batch } = options;
  const variables = network.trainableNames.map((name) => {
    const variable = network.parameters.get(name);
    if (variable === undefined) throw new Error(`trainable parameter "${name}" is not in network.parameters`);
    // tf.variableGrads silently drops variables created with trainable=false.
    if (!variable.trainable) throw new Error(`trainable parameter "${name}" is a tfjs variable with trainable=false`);
    return variable;
  });
  // tf.variableGrads keys gradients by tfjs variable name; map them back to state_dict names.
  const nameOf = new Map(variables.map((variable, i) => [variable.name, network.trainableNames[i]]));
  let batchNormUpdates: ReadonlyMap<string, tf.Tensor> = new Map();
  let correctTensor: tf.Tensor | null = null;

  const { value, grads } = tf.tidy(() => {
    const labels = tf.tensor1d(batch.labels, 'int32');
    return tf.variableGrads(() => {
      const result = network.forwardSuffix(batch.inputs, { training: true, dropoutSeed: options.dropoutSeed });
      batchNormUpdates = result.batchNormUpdates;
      correctTensor = tf.keep(tf.sum(tf.equal(tf.argMax(result.logits, 1), labels).toInt()));
      return crossEntropy(result.logits, labels, options.classWeights, options.labelSmoothing);
    }, variables);
  });

  try {
    const loss = (value.dataSync() as Float32Array)[0];
    const correct = (correctTensor as tf.Tensor | null)?.dataSync()[0] ?? 0;
    if (!Number.isFinite(loss)) return { loss, correct, applied: false };
    const byName: Record<string, tf.Tensor> = {};
    for (const [variableName, gradient] of Object.entries(grads)) {
      const name = nameOf.get(variableName);
      if (name === undefined) throw new Error(`gradient for unexpected variable "${variableName}"`);
      byName[name] = gradient;
    }
    optimizer.apply({ params: network.parameters, grads: byName, lr: options.lr });
    for (const [name, update] of batchNormUpdates) {
      const buffer = network.buffers.get(name);
      if (buffer === undefined) throw new Error(`BatchNorm update for unknown buffer "${name}"`);
      buffer.assign(update);
    }
    return { loss, correct, applied: true };
  } finally {
    value.dispose();
    tf.dispose(Object.values(grads));
    (correctTensor as tf.Tensor | null)?.dispose();
    for (const update of batchNormUpdates.values()) update.dispose();
  }
}
