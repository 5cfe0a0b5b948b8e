import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../runtime/backend/select-backend.js';
import * as tf from '../../../runtime/backend/tf.js';
import { buildNetwork } from '../../../runtime/models/build-network.js';
import { estimateStepMemory, stepPeakBytes, wasmMemoryRefusal, WASM_TENSOR_BUDGET_BYTES } from '../../../runtime/train/step-memory.js';

async function measuredPeak(arch: 'resnet18' | 'squeezenet1_1', size: number, batch: number, trainableLayers: number | 'all'): Promise<{ estimate: number; actual: number }> {
  const network = buildNetwork({ arch, numClasses: 7, trainableLayers, dropout: 0.3, seed: 2 });
  const { stepBytes } = await estimateStepMemory(network, size, batch);
  const x = tf.randomNormal([batch, size, size, 3], 0, 1, 'float32', 4) as tf.Tensor4D;
  const features = network.forwardPrefix(x);
  const actual = await stepPeakBytes(network, features);
  tf.dispose([x, features]);
  network.dispose();
  return { estimate: stepBytes, actual };
}

describe('training-step memory', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it.each([
    ['resnet18', 48, 12, 'all'],
    ['resnet18', 64, 9, 5],
    ['squeezenet1_1', 64, 10, 'all'],
  ] as const)('%s at %i px, batch %i, trainable %s: the estimate from batches 1 and 2 is the measured peak', async (arch, size, batch, layers) => {
    const before = tf.memory().numTensors;
    const { estimate, actual } = await measuredPeak(arch, size, batch, layers);
    expect(Math.abs(estimate - actual) / actual).toBeLessThan(0.05);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('leaves every weight and running statistic as it was', async () => {
    const network = buildNetwork({ arch: 'resnet18', numClasses: 3, trainableLayers: 'all', dropout: 0.5, seed: 1 });
    const snapshot = (): number[] => [...network.parameters.values(), ...network.buffers.values()].map((v) => tf.tidy(() => tf.sum(tf.abs(v)).dataSync()[0]));
    const beforeValues = snapshot();
    await estimateStepMemory(network, 32, 16);
    expect(snapshot()).toEqual(beforeValues);
    network.dispose();
  });

  it('refuses a step past wasm memory and says which batch size would fit', async () => {
    const network = buildNetwork({ arch: 'resnet50', numClasses: 10, trainableLayers: 'all', dropout: 0, seed: 1 });
    const { stepBytes: oneImage, perImageBytes } = await estimateStepMemory(network, 224, 1);
    const refusal = await wasmMemoryRefusal(network, 224, 32);
    const needed = (batch: number): number => tf.memory().numBytes + oneImage + (batch - 1) * perImageBytes;
    expect(refusal).toMatch(/a training step of 32 images at 224 px needs about \d+\.\d GB of tensors/);
    const largest = Number(/use data\.batch_size (\d+) or less/.exec(refusal ?? '')?.[1]);
    expect(largest).toBeGreaterThanOrEqual(1);
    expect(largest).toBeLessThan(32);
    expect(needed(largest)).toBeLessThanOrEqual(WASM_TENSOR_BUDGET_BYTES);
    expect(needed(largest + 1)).toBeGreaterThan(WASM_TENSOR_BUDGET_BYTES);
    network.dispose();
  }, 120_000);
});
