import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../runtime/backend/select-backend.js';
import * as tf from '../../../runtime/backend/tf.js';
import { batchNormInference, batchNormTraining, runningStatisticsUpdate } from '../../../runtime/models/batch-norm.js';

const maxAbs = (t: tf.Tensor): number => tf.tidy(() => tf.max(tf.abs(t)).dataSync()[0]);

describe('custom-gradient BatchNorm', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it('matches tfjs-core batchNorm with batch moments, values and gradients', () => {
    const x = tf.randomNormal([4, 5, 3, 6], 1, 2, 'float32', 1);
    const gamma = tf.randomNormal([6], 1, 0.5, 'float32', 2);
    const beta = tf.randomNormal([6], 0, 1, 'float32', 3);
    const w = tf.randomNormal([4, 5, 3, 6], 0, 1, 'float32', 4);
    const ours = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
      const { y, stats } = batchNormTraining(a as tf.Tensor4D, g as tf.Tensor1D, b as tf.Tensor1D);
      tf.dispose([stats.mean, stats.variance]);
      return tf.sum(tf.mul(y, w));
    };
    const reference = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
      const { mean, variance } = tf.moments(a, [0, 1, 2]);
      return tf.sum(tf.mul(tf.batchNorm(a as tf.Tensor4D, mean, variance, b as tf.Tensor1D, g as tf.Tensor1D, 1e-5), w));
    };
    const before = tf.memory().numTensors;
    const got = tf.grads(ours)([x, gamma, beta]);
    expect(tf.memory().numTensors).toBe(before + 3);
    const want = tf.grads(reference)([x, gamma, beta]);
    for (let i = 0; i < 3; i++) {
      expect(maxAbs(tf.sub(got[i], want[i])) / maxAbs(want[i])).toBeLessThan(1e-5);
    }
    tf.dispose([...got, ...want]);
    tf.dispose([x, gamma, beta, w]);
  });

  it('updates running statistics with momentum 0.1 and the unbiased variance', () => {
    // One channel, values 1..4: mean 2.5, biased var 1.25, unbiased 5/3.
    const x = tf.tensor4d([1, 2, 3, 4], [2, 2, 1, 1]);
    const { y, stats } = batchNormTraining(x, tf.ones([1]), tf.zeros([1]));
    const update = runningStatisticsUpdate(stats, tf.tensor1d([1]), tf.tensor1d([2]));
    expect(update.mean.dataSync()[0]).toBeCloseTo(0.9 * 1 + 0.1 * 2.5, 6);
    expect(update.variance.dataSync()[0]).toBeCloseTo(0.9 * 2 + 0.1 * (5 / 3), 6);
    expect(Array.from(y.dataSync())).toEqual(
      [1, 2, 3, 4].map((v) => Math.fround((v - 2.5) / Math.sqrt(1.25 + 1e-5))).map((v, i) => expect.closeTo(v, 5) as unknown as number),
    );
    const inference = batchNormInference(x, tf.tensor1d([2]), tf.tensor1d([1]), tf.tensor1d([2.5]), tf.tensor1d([4]));
    expect(inference.dataSync()[3]).toBeCloseTo(2 * (1.5 / Math.sqrt(4 + 1e-5)) + 1, 5);
  });
});
