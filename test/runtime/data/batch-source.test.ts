import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { RunConfig } from '../../../compiler/types/run-config.js';
import * as tf from '../../../runtime/backend/tf.js';
import { createBatchSource } from '../../../runtime/data/batch-source.js';
import { createDataCaches, type DataCaches } from '../../../runtime/data/data-caches.js';
import { DataError } from '../../../runtime/data/data-error.js';
import { loadDatasetSplits } from '../../../runtime/data/load-dataset-splits.js';
import { loadImage } from '../../../runtime/data/image-loader.js';
import { normalizeInto } from '../../../runtime/data/normalize.js';
import type { Batch, BatchSource, ImageSample } from '../../../runtime/data/types.js';
import { fakeNetwork } from '../../helpers/fake-network.js';
import { noiseImage, tempRoot, writeImageFolder } from './corpus.js';

const AUGMENT = { random_resized_crop: { scale: [0.2, 1] as const, ratio: [3 / 4, 4 / 3] as const }, horizontal_flip: true, rotation: 30 };

function runConfig(root: string, augment: RunConfig['augment']): RunConfig {
  return {
    data: { root, train: 'train', test: null, validation: { fraction: 0.2, stratify: true }, image_size: 32, batch_size: 4, eval_batch_size: 3, on_bad_image: 'error' },
    augment,
  } as unknown as RunConfig;
}

async function collect(source: BatchSource, epoch: number): Promise<{ files: string[]; labels: number[]; values: number[][]; shapes: number[][] }> {
  const out = { files: [] as string[], labels: [] as number[], values: [] as number[][], shapes: [] as number[][] };
  for await (const batch of source.batches(epoch)) {
    out.files.push(...batch.samples.map((s) => s.file));
    out.labels.push(...batch.labels);
    out.values.push(Array.from(await batch.inputs.data()));
    out.shapes.push(batch.inputs.shape);
    batch.inputs.dispose();
  }
  return out;
}

let root: string;
let samples: ImageSample[];

beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await tempRoot();
  await writeImageFolder(root, 'train', { a: 4, b: 3, c: 3 }, 44);
  samples = ['a', 'b', 'c'].flatMap((name, label) =>
    Array.from({ length: [4, 3, 3][label] }, (_, i) => ({ file: `train/${name}/img${String(i).padStart(3, '0')}.png`, label })),
  );
});

describe('createBatchSource', () => {
  test('batch tensors keep their values after the shared buffers they were filled in are reused', async () => {
    // The cpu backend keeps the array a tensor is made from: without a copy, later batches would overwrite earlier tensors.
    const network = fakeNetwork({ numClasses: 3, frozen: false });
    const base = runConfig(root, false);
    const config = { ...base, data: { ...base.data, eval_batch_size: 2 } } as RunConfig;
    const source = createBatchSource({ samples, root, role: 'eval', config, network, seed: 0, caches: null });
    const reference = await collect(source, 1);
    const held: tf.Tensor[] = [];
    for await (const batch of source.batches(1)) held.push(batch.inputs);
    expect(held).toHaveLength(5);
    expect(await Promise.all(held.map(async (tensor) => Array.from(await tensor.data())))).toEqual(reference.values);
    for (const tensor of held) tensor.dispose();
    network.dispose();
  });

  test('eval batches keep the order, keep the last partial batch, and hold normalised eval pixels', async () => {
    const network = fakeNetwork({ numClasses: 3, frozen: false });
    const source = createBatchSource({ samples, root, role: 'eval', config: runConfig(root, AUGMENT), network, seed: 0, caches: null });
    expect([source.numSamples, source.numBatches]).toEqual([10, 4]);
    const epoch = await collect(source, 1);
    expect(epoch.files).toEqual(samples.map((s) => s.file));
    expect(epoch.shapes).toEqual([[3, 32, 32, 3], [3, 32, 32, 3], [3, 32, 32, 3], [1, 32, 32, 3]]);
    const expected = new Float32Array(32 * 32 * 3);
    normalizeInto((await loadImage({ root, imageSize: 32, caches: null }, samples[9].file, 'eval')).data, expected, 0);
    expect(epoch.values[3]).toEqual(Array.from(expected));
    network.dispose();
  });

  test('train batches are a seeded permutation per epoch; augmentation is a pure function of (seed, epoch, image)', async () => {
    const network = fakeNetwork({ numClasses: 3, frozen: false });
    const make = (seed: number) => createBatchSource({ samples, root, role: 'train', config: runConfig(root, AUGMENT), network, seed, caches: null });
    const first = await collect(make(5), 1);
    expect([...first.files].sort()).toEqual(samples.map((s) => s.file).sort());
    expect(first.shapes.map((s) => s[0])).toEqual([4, 4, 2]);
    expect(first.labels).toEqual(first.files.map((f) => samples.find((s) => s.file === f)!.label));
    expect(await collect(make(5), 1)).toEqual(first);
    const second = await collect(make(5), 2);
    expect(second.files).not.toEqual(first.files);
    const otherSeed = await collect(make(6), 1);
    expect(otherSeed.values).not.toEqual(first.values);
    network.dispose();
  });

  test('train without augment gives the eval images', async () => {
    const network = fakeNetwork({ numClasses: 3, frozen: false });
    const train = createBatchSource({ samples, root, role: 'train', config: runConfig(root, false), network, seed: 0, caches: null });
    const evaluation = createBatchSource({ samples, root, role: 'eval', config: runConfig(root, false), network, seed: 0, caches: null });
    const byFile = async (source: BatchSource) => {
      const map = new Map<string, string>();
      for await (const batch of source.batches(1)) {
        const values = (await batch.inputs.data()) as Float32Array;
        batch.samples.forEach((s, i) => map.set(s.file, values.subarray(i * 3072, (i + 1) * 3072).join(',')));
        batch.inputs.dispose();
      }
      return map;
    };
    expect(await byFile(train)).toEqual(await byFile(evaluation));
    network.dispose();
  });

  test('consuming and disposing batches leaves no tensors behind; stopping early is safe', async () => {
    const network = fakeNetwork({ numClasses: 3, frozen: true });
    const caches = createDataCaches({ cacheDir: `${root}/.cache-leak`, diskBytes: 0 });
    const before = tf.memory().numTensors;
    const source = createBatchSource({ samples, root, role: 'train', config: runConfig(root, false), network, seed: 0, caches });
    for (const epoch of [1, 2]) await collect(source, epoch);
    for await (const batch of source.batches(3)) {
      batch.inputs.dispose();
      break;
    }
    expect(tf.memory().numTensors).toBe(before);
    network.dispose();
  });
});

describe('files changed during a run', () => {
  test.each([false, true])('fail with DATASET_CHANGED naming the file (frozen prefix: %s)', async (frozen) => {
    const changing = await tempRoot();
    await writeImageFolder(changing, 'train', { a: 3, b: 3 }, 40);
    const data = { ...runConfig(changing, false).data, validation: { fraction: 0.34, stratify: true } };
    const splits = await loadDatasetSplits({ data, root: changing, seed: 0 });
    const network = fakeNetwork({ numClasses: 2, frozen });
    const source = createBatchSource({ samples: splits.train, root: changing, role: 'eval', config: runConfig(changing, false), network, seed: 0, caches: null });
    await writeFile(path.join(changing, splits.train[1].file), await noiseImage(40, 40, 12345));
    const error = await (async () => {
      for await (const batch of source.batches(1)) batch.inputs.dispose();
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect([(error as DataError).code, (error as DataError).file]).toEqual(['DATASET_CHANGED', splits.train[1].file]);
    network.dispose();
  });
});

describe('frozen-trunk feature cache', () => {
  async function prefixOutputs(network: ReturnType<typeof fakeNetwork>, caches: DataCaches | null, role: 'train' | 'eval' = 'eval', epoch = 1) {
    const source = createBatchSource({ samples, root, role, config: runConfig(root, false), network, seed: 0, caches });
    const map = new Map<string, number[]>();
    for await (const batch of source.batches(epoch)) {
      const per = batch.inputs.size / batch.samples.length;
      const values = (await batch.inputs.data()) as Float32Array;
      batch.samples.forEach((s, i) => map.set(s.file, Array.from(values.subarray(i * per, (i + 1) * per))));
      batch.inputs.dispose();
    }
    return map;
  }

  test('computes the prefix once per image, reuses it across epochs, roles and runs, and equals the full network', async () => {
    const cacheDir = `${root}/.cache-features`;
    const caches = createDataCaches({ cacheDir });
    const network = fakeNetwork({ numClasses: 3, frozen: true });
    const uncached = await prefixOutputs(network, null);
    network.prefixCalls = 0;
    const first = await prefixOutputs(network, caches);
    expect(network.prefixCalls).toBe(10);
    await prefixOutputs(network, caches, 'eval', 2);
    await prefixOutputs(network, caches, 'train', 3);
    const secondRun = fakeNetwork({ numClasses: 3, frozen: true });
    const reused = await prefixOutputs(secondRun, caches);
    expect([network.prefixCalls, secondRun.prefixCalls]).toEqual([10, 0]);
    for (const [file, values] of uncached) {
      const cached = first.get(file)!;
      expect(Math.max(...values.map((v, i) => Math.abs(v - cached[i])))).toBeLessThan(1e-5);
      expect(reused.get(file)).toEqual(cached);
    }
    // A later process finds them on disk.
    await caches.features.settled();
    const laterProcess = createDataCaches({ cacheDir });
    const third = fakeNetwork({ numClasses: 3, frozen: true });
    expect(await prefixOutputs(third, laterProcess)).toEqual(first);
    expect([third.prefixCalls, laterProcess.features.stats.diskHits]).toEqual([0, 10]);
    for (const n of [network, secondRun, third]) n.dispose();
  });

  test('other frozen weights or an augmented train role never use the cached features', async () => {
    const caches = createDataCaches({ cacheDir: `${root}/.cache-weights`, diskBytes: 0 });
    const network = fakeNetwork({ numClasses: 3, frozen: true, weightSeed: 1 });
    await prefixOutputs(network, caches);
    const changed = fakeNetwork({ numClasses: 3, frozen: true, weightSeed: 2 });
    await prefixOutputs(changed, caches);
    expect(changed.prefixCalls).toBe(10);
    const augmented = createBatchSource({ samples, root, role: 'train', config: runConfig(root, AUGMENT), network, seed: 0, caches });
    network.prefixCalls = 0;
    for await (const batch of augmented.batches(1)) batch.inputs.dispose();
    expect(network.prefixCalls).toBe(10);
    for (const n of [network, changed]) n.dispose();
  });
});

describe('decoded-image cache', () => {
  test('later epochs and runs skip decoding; memory stays under its cap and spills to disk', async () => {
    const cacheDir = `${root}/.cache-images`;
    const caches = createDataCaches({ cacheDir, memoryBytes: 4 * (32 * 32 * 3 + 64) });
    const network = fakeNetwork({ numClasses: 3, frozen: false });
    const source = createBatchSource({ samples, root, role: 'eval', config: runConfig(root, false), network, seed: 0, caches });
    const first: Batch[] = [];
    for await (const batch of source.batches(1)) first.push(batch);
    expect(caches.images.stats.misses).toBe(10);
    expect(caches.images.stats.memoryBytes).toBeLessThanOrEqual(4 * (32 * 32 * 3 + 64));
    for await (const batch of source.batches(2)) batch.inputs.dispose();
    expect(caches.images.stats.misses).toBe(10);
    expect(caches.images.stats.diskHits).toBeGreaterThan(0);
    const laterProcess = createDataCaches({ cacheDir });
    const again = createBatchSource({ samples, root, role: 'eval', config: runConfig(root, false), network, seed: 0, caches: laterProcess });
    let i = 0;
    for await (const batch of again.batches(1)) {
      expect(await batch.inputs.data()).toEqual(await first[i].inputs.data());
      batch.inputs.dispose();
      first[i++].inputs.dispose();
    }
    expect([laterProcess.images.stats.misses, laterProcess.images.stats.diskHits]).toEqual([0, 10]);
    network.dispose();
  });

  test('the data workers write the image cache: a new process reads every image from disk; a cache folder that cannot be written only turns the disk tier off', async () => {
    const network = fakeNetwork({ numClasses: 3, frozen: false });
    const epochOf = (caches: DataCaches | null) => collect(createBatchSource({ samples, root, role: 'eval', config: runConfig(root, false), network, seed: 0, caches }), 1);
    const reference = await epochOf(null);

    const cacheDir = path.join(await tempRoot(), 'cache');
    const first = createDataCaches({ cacheDir, memoryBytes: 0 });
    expect((await epochOf(first)).values).toEqual(reference.values);
    expect(first.images.stats).toMatchObject({ misses: samples.length, diskBytesWritten: samples.length * (16 + 32 * 32 * 3), diskDisabled: null });
    const later = createDataCaches({ cacheDir, memoryBytes: 0 });
    expect((await epochOf(later)).values).toEqual(reference.values);
    expect(later.images.stats).toMatchObject({ diskHits: samples.length, misses: 0 });

    // A file where the cache's images folder should be: every write fails (ENOTDIR), the epoch does not.
    const blocked = await tempRoot();
    await writeFile(path.join(blocked, 'images'), 'not a folder');
    const broken = createDataCaches({ cacheDir: blocked, memoryBytes: 0 });
    expect((await epochOf(broken)).values).toEqual(reference.values);
    expect(broken.images.stats.diskDisabled).toMatch(/ENOTDIR|not a directory/);
    network.dispose();
  });
});
