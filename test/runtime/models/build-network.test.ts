import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../runtime/backend/select-backend.js';
import * as tf from '../../../runtime/backend/tf.js';
import { buildNetwork } from '../../../runtime/models/build-network.js';

const input = (shape: [number, number, number, number], seed: number): tf.Tensor4D => tf.randomNormal(shape, 0, 1, 'float32', seed) as tf.Tensor4D;

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

describe('buildNetwork', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it('forward = suffix(prefix(x)) for every split, and the prefix is cacheable', () => {
    const x = input([2, 32, 32, 3], 1);
    const full = buildNetwork({ arch: 'resnet18', numClasses: 4, trainableLayers: 'all', dropout: 0, seed: 5 });
    expect(full.frozenPrefixId).toBeNull();
    const reference = full.forwardSuffix(full.forwardPrefix(x), { training: false }).logits;
    for (const layers of [0, 5]) {
      const net = buildNetwork({ arch: 'resnet18', numClasses: 4, trainableLayers: layers, dropout: 0, seed: 5 });
      const prefix = net.forwardPrefix(x);
      const logits = net.forwardSuffix(prefix, { training: false }).logits;
      expect(maxAbsDiff(logits, reference)).toBeLessThan(1e-5);
      expect(net.frozenPrefixId).toMatch(/^resnet18:before:/);
      tf.dispose([prefix, logits]);
      net.dispose();
    }
    const head = buildNetwork({ arch: 'resnet18', numClasses: 4, trainableLayers: 0, dropout: 0, seed: 5 });
    const features = head.forwardPrefix(x);
    expect(features.shape).toEqual([2, 512]);
    expect(head.frozenPrefixId).toBe('resnet18:before:fc');
    tf.dispose([features, reference, x]);
    head.dispose();
    full.dispose();
  });

  it('is deterministic in its seed', () => {
    const a = buildNetwork({ arch: 'squeezenet1_1', numClasses: 3, trainableLayers: 'all', dropout: 0, seed: 1 });
    const b = buildNetwork({ arch: 'squeezenet1_1', numClasses: 3, trainableLayers: 'all', dropout: 0, seed: 1 });
    const c = buildNetwork({ arch: 'squeezenet1_1', numClasses: 3, trainableLayers: 'all', dropout: 0, seed: 2 });
    const w = (n: typeof a) => n.parameters.get('features.3.expand3x3.weight') as tf.Tensor;
    expect(maxAbsDiff(w(a), w(b))).toBe(0);
    expect(maxAbsDiff(w(a), w(c))).toBeGreaterThan(0);
    for (const n of [a, b, c]) n.dispose();
  });

  it('training mode updates running statistics like PyTorch (momentum 0.1, unbiased variance) for trainable BatchNorms only', () => {
    const net = buildNetwork({ arch: 'resnet18', numClasses: 3, trainableLayers: 2, dropout: 0, seed: 3 });
    const x = input([3, 32, 32, 3], 2);
    const prefix = net.forwardPrefix(x);
    const { logits, batchNormUpdates } = net.forwardSuffix(prefix, { training: true });
    expect([...batchNormUpdates.keys()].sort()).toEqual([
      'layer4.1.bn1.running_mean',
      'layer4.1.bn1.running_var',
      'layer4.1.bn2.running_mean',
      'layer4.1.bn2.running_var',
    ]);
    // layer4.1.bn2 follows conv2; in layer4.1 at 32 px the map is 1x1, so N = 3 samples.
    const mean = batchNormUpdates.get('layer4.1.bn1.running_mean') as tf.Tensor;
    const variance = batchNormUpdates.get('layer4.1.bn1.running_var') as tf.Tensor;
    const meanValues = mean.dataSync();
    const varValues = variance.dataSync();
    for (let i = 0; i < 4; i++) {
      // Running stats start at mean 0, var 1: new = 0.1 * batch (+ 0.9 for var).
      expect(Number.isFinite(meanValues[i])).toBe(true);
      expect(varValues[i]).toBeGreaterThanOrEqual(0.9 - 1e-6);
    }
    tf.dispose([x, prefix, logits, ...batchNormUpdates.values()]);
    net.dispose();
  });

  it('a dropout network needs a dropout seed when training and ignores dropout in eval', () => {
    const net = buildNetwork({ arch: 'resnet18', numClasses: 2, trainableLayers: 0, dropout: 0.5, seed: 3 });
    const features = tf.ones([4, 512]);
    expect(() => net.forwardSuffix(features, { training: true })).toThrow(/dropoutSeed/);
    const a = net.forwardSuffix(features, { training: true, dropoutSeed: 9 }).logits;
    const b = net.forwardSuffix(features, { training: true, dropoutSeed: 9 }).logits;
    const evaluation = net.forwardSuffix(features, { training: false }).logits;
    expect(maxAbsDiff(a, b)).toBe(0);
    expect(maxAbsDiff(a, evaluation)).toBeGreaterThan(0);
    tf.dispose([features, a, b, evaluation]);
    net.dispose();
  });
});
