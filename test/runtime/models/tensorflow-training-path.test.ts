/**
 * The tensorflow backend trains through its own code path: composed conv
 * gradients, TensorFlow's FusedBatchNormV3/GradV3 and ReluGrad called through
 * the binding. Its loss, gradients and running-statistics updates must equal
 * the wasm backend's (the tfjs formulation checked against PyTorch elsewhere).
 */
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../../runtime/backend/select-backend.js';
import * as tf from '../../../runtime/backend/tf.js';
import { buildNetwork } from '../../../runtime/models/build-network.js';
import type { ArchName } from '../../../compiler/types/run-config.js';

const tensorflow = await selectBackend('tensorflow').then(
  () => null,
  (error: unknown) => (error as Error).message,
);

interface StepResult {
  loss: number;
  grads: Map<string, Float32Array>;
  updates: Map<string, Float32Array>;
}

function trainingStep(arch: ArchName, size: number, trainableLayers: number | 'all'): StepResult {
  const tensorsBefore = tf.memory().numTensors;
  const network = buildNetwork({ arch, numClasses: 5, trainableLayers, dropout: 0, seed: 3 });
  const x = tf.randomNormal([3, size, size, 3], 0, 1, 'float32', 7) as tf.Tensor4D;
  const labels = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 3, 4], 'int32'), 5));
  const variables = network.trainableNames.map((name) => network.parameters.get(name) as tf.Variable);
  let updates: ReadonlyMap<string, tf.Tensor> = new Map();
  const { value, grads } = tf.variableGrads(() => {
    const result = network.forwardSuffix(network.forwardPrefix(x), { training: true });
    updates = result.batchNormUpdates;
    return tf.losses.softmaxCrossEntropy(labels, result.logits) as tf.Scalar;
  }, variables);
  const result: StepResult = {
    loss: value.dataSync()[0],
    grads: new Map(network.trainableNames.map((name, i) => [name, grads[variables[i].name].dataSync() as Float32Array])),
    updates: new Map([...updates].map(([name, tensor]) => [name, tensor.dataSync() as Float32Array])),
  };
  tf.dispose([value, x, labels, ...Object.values(grads), ...updates.values()]);
  network.dispose();
  expect(tf.memory().numTensors, `tensors left behind on ${tf.getBackend()}`).toBe(tensorsBefore);
  return result;
}

function relativeError(got: Float32Array, want: Float32Array): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < want.length; i++) {
    diff = Math.max(diff, Math.abs(got[i] - want[i]));
    scale = Math.max(scale, Math.abs(want[i]));
  }
  return scale === 0 ? diff : diff / scale;
}

describe.skipIf(tensorflow !== null)(`tensorflow training path equals wasm's${tensorflow ? ` (skipped: ${tensorflow})` : ''}`, () => {
  it.each([
    ['resnet18', 33, 'all'],
    ['resnet50', 40, 7],
    ['squeezenet1_1', 48, 'all'],
  ] as const)('%s at %i px, trainable %s: loss, every gradient and every running-statistics update', async (arch, size, layers) => {
    await selectBackend('wasm');
    const reference = trainingStep(arch, size, layers);
    await selectBackend('tensorflow');
    const native = trainingStep(arch, size, layers);
    expect(native.loss).toBeCloseTo(reference.loss, 4);
    expect([...native.grads.keys()]).toEqual([...reference.grads.keys()]);
    const worst = [...reference.grads].map(([name, want]) => [name, relativeError(native.grads.get(name)!, want)] as const).sort((a, b) => b[1] - a[1]);
    expect(worst[0][1], `worst gradient ${worst[0][0]}`).toBeLessThan(1e-3);
    expect(native.updates.size).toBe(reference.updates.size);
    for (const [name, want] of reference.updates) expect(relativeError(native.updates.get(name)!, want), name).toBeLessThan(1e-4);
  });
});
