import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../runtime/backend/select-backend.js';
import * as tf from '../../../runtime/backend/tf.js';
import { buildNetwork } from '../../../runtime/models/build-network.js';
import type { Network } from '../../../runtime/models/network.js';
import { expectNoTensorLeaks, TensorLeakError } from '../../helpers/tensor-leaks.js';

/** A plain SGD step over the network's trainable parameters, with the BatchNorm updates assigned. */
function sgdStep(network: Network, inputs: tf.Tensor, labels: tf.Tensor1D, step: number): number {
  const variables = network.trainableNames.map((name) => network.parameters.get(name) as tf.Variable);
  let updates: ReadonlyMap<string, tf.Tensor> = new Map();
  const { value, grads } = tf.variableGrads(() => {
    const result = network.forwardSuffix(inputs, { training: true, dropoutSeed: step });
    updates = result.batchNormUpdates;
    return tf.losses.softmaxCrossEntropy(tf.oneHot(labels, network.numClasses), result.logits) as tf.Scalar;
  }, variables);
  tf.tidy(() => {
    for (const variable of variables) variable.assign(tf.sub(variable, tf.mul(grads[variable.name], 0.01)));
  });
  for (const [name, update] of updates) (network.buffers.get(name) as tf.Variable).assign(update);
  const loss = value.dataSync()[0];
  tf.dispose([value, ...Object.values(grads), ...updates.values()]);
  return loss;
}

describe('no tensor leaks', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it('the helper catches a leak', async () => {
    await expect(expectNoTensorLeaks(() => tf.ones([2]), { label: 'ones' })).rejects.toThrow(TensorLeakError);
    tf.disposeVariables();
  });

  it('100 training steps of a partly frozen resnet18 (cached prefix) and 3 full steps leave no tensors behind', { timeout: 180_000 }, async () => {
    const network = buildNetwork({ arch: 'resnet18', numClasses: 3, trainableLayers: 1, dropout: 0.2, seed: 1 });
    const images = tf.randomNormal([2, 32, 32, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    const labels = tf.tensor1d([0, 2], 'int32');
    const prefix = network.forwardPrefix(images);
    const losses: number[] = [];
    await expectNoTensorLeaks(() => {
      for (let step = 0; step < 100; step++) losses.push(sgdStep(network, prefix, labels, step));
    }, { label: '100 suffix steps' });
    expect(losses[99]).toBeLessThan(losses[0]);
    const full = buildNetwork({ arch: 'resnet18', numClasses: 3, trainableLayers: 'all', dropout: 0, seed: 1 });
    await expectNoTensorLeaks(() => {
      for (let step = 0; step < 3; step++) sgdStep(full, images, labels, step);
    }, { label: '3 full steps' });
    tf.dispose([images, labels, prefix]);
    network.dispose();
    full.dispose();
  });
});
