import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '../../../runtime/backend/tf.js';
import { buildNetwork } from '../../../runtime/models/build-network.js';
import { encodeNetwork, readNetworkTensors } from '../../../runtime/runner/checkpoint-tensors.js';
import { loadWeights } from '../../../runtime/weights/load-weights.js';
import { decodeSafetensors } from '../../../runtime/weights/safetensors.js';

let dir: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'ckpt-tensors-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('checkpoint model files', () => {
  it('hold torchvision names in torch layout and load back as `pretrained: <path>`', async () => {
    const trained = buildNetwork({ arch: 'squeezenet1_1', numClasses: 3, trainableLayers: 'all', dropout: 0, seed: 1 });
    const fresh = buildNetwork({ arch: 'squeezenet1_1', numClasses: 3, trainableLayers: 'all', dropout: 0, seed: 2 });
    try {
      const bytes = encodeNetwork(trained);
      const { tensors } = decodeSafetensors(bytes);
      expect(tensors.get('features.0.weight')?.shape).toEqual([64, 3, 3, 3]);
      expect(tensors.get('classifier.1.weight')?.shape).toEqual([3, 512, 1, 1]);
      const file = join(dir, 'model.safetensors');
      await writeFile(file, bytes);
      const report = await loadWeights(fresh, file);
      expect(report.loaded).toBe(trained.parameters.size + trained.buffers.size);
      const same = (a: tf.Tensor, b: tf.Tensor) => Buffer.from((a.dataSync() as Float32Array).buffer).equals(Buffer.from((b.dataSync() as Float32Array).buffer));
      const differing = [...trained.parameters].filter(([name, variable]) => !same(fresh.parameters.get(name)!, variable));
      expect(differing.map(([name]) => name)).toEqual([]);
      const decoded = await readNetworkTensors(file);
      expect(decoded.get('features.0.weight')!.shape).toEqual([3, 3, 3, 64]);
      expect(same(decoded.get('features.0.weight')!, trained.parameters.get('features.0.weight')!)).toBe(true);
      decoded.forEach((t) => t.dispose());
    } finally {
      trained.dispose();
      fresh.dispose();
    }
  });
});
