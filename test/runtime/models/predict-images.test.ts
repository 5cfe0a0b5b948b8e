import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../../bin/user-error.js';
import { selectBackend } from '../../../runtime/backend/select-backend.js';
import * as tf from '../../../runtime/backend/tf.js';
import { buildNetwork } from '../../../runtime/models/build-network.js';
import { predictImages } from '../../../runtime/models/predict-images.js';

const directory = mkdtempSync(join(tmpdir(), 'sweepspec-predict-'));

describe('predictImages', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it('applies the eval transform and returns sorted top classes with probabilities and logits', async () => {
    const files = [join(directory, 'red.png'), join(directory, 'wide.jpg')];
    await sharp({ create: { width: 40, height: 40, channels: 3, background: { r: 255, g: 0, b: 0 } } }).png().toFile(files[0]);
    await sharp({ create: { width: 90, height: 50, channels: 3, background: { r: 10, g: 200, b: 30 } } }).jpeg().toFile(files[1]);
    const network = buildNetwork({ arch: 'squeezenet1_1', numClasses: 3, trainableLayers: 'all', dropout: 0, seed: 4 });
    const results = await predictImages({ network, files, imageSize: 32, classes: ['a', 'b', 'c'], top: 2 });
    expect(results.map((r) => r.file)).toEqual(files);
    for (const result of results) {
      expect(result.logits).toHaveLength(3);
      expect(result.top).toHaveLength(2);
      expect(result.top[0].probability).toBeGreaterThanOrEqual(result.top[1].probability);
      const exps = result.logits.map((v) => Math.exp(v));
      expect(result.top[0].probability).toBeCloseTo(exps[result.top[0].index] / exps.reduce((a, b) => a + b, 0), 6);
      expect(result.top[0].name).toBe(['a', 'b', 'c'][result.top[0].index]);
    }
    // A solid red image: every pixel normalises to ((1 - 0.485)/0.229, (0 - 0.456)/0.224, (0 - 0.406)/0.225).
    const solid = tf.tidy(() => {
      const x = tf.mul(tf.ones([1, 32, 32, 3]), tf.tensor1d([(1 - 0.485) / 0.229, -0.456 / 0.224, -0.406 / 0.225])) as tf.Tensor4D;
      return Array.from(network.forwardSuffix(network.forwardPrefix(x), { training: false }).logits.dataSync());
    });
    results[0].logits.forEach((v, i) => expect(v).toBeCloseTo(solid[i], 4));
    await expect(predictImages({ network, files: [join(directory, 'missing.png')], imageSize: 32 })).rejects.toThrow(UserError);
    network.dispose();
  });
});
