import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../runtime/backend/select-backend.js';
import * as tf from '../../../runtime/backend/tf.js';
import { composedConv2d } from '../../../runtime/models/composed-conv.js';

const relative = (a: tf.Tensor, b: tf.Tensor): number => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] / tf.max(tf.abs(b)).dataSync()[0]);

describe('composedConv2d (the tensorflow backend convolution)', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it.each([
    [1, 1, 9, 7],
    [3, 1, 8, 8],
    [3, 2, 9, 8],
    [1, 2, 8, 9],
    [7, 2, 15, 14],
  ])('kernel %i stride %i on %ix%i: value and gradients equal tf.conv2d', (kernel, stride, h, w) => {
    tf.tidy(() => {
      const x = tf.randomNormal([2, h, w, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
      const filter = tf.randomNormal([kernel, kernel, 3, 4], 0, 1, 'float32', 2) as tf.Tensor4D;
      const info = tf.backend_util.computeConv2DInfo(x.shape, filter.shape, stride, 1, 'valid');
      const weight = tf.randomNormal([2, info.outHeight, info.outWidth, 4], 0, 1, 'float32', 3);
      const loss = (conv: (a: tf.Tensor4D, b: tf.Tensor4D) => tf.Tensor) => (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(conv(a as tf.Tensor4D, b as tf.Tensor4D), weight));
      const ours = tf.grads(loss((a, b) => composedConv2d(a, b, stride)))([x, filter]);
      const stock = tf.grads(loss((a, b) => tf.conv2d(a, b, stride, 'valid')))([x, filter]);
      expect(relative(composedConv2d(x, filter, stride), tf.conv2d(x, filter, stride, 'valid'))).toBe(0);
      expect(relative(ours[0], stock[0])).toBeLessThan(1e-5);
      expect(relative(ours[1], stock[1])).toBeLessThan(1e-5);
    });
  });
});
