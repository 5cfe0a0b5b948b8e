import { writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import type { DataConfig } from '../../../compiler/types/run-config.js';
import { DataError } from '../../../runtime/data/data-error.js';
import { loadDatasetSplits } from '../../../runtime/data/load-dataset-splits.js';
import { noiseImage, tempRoot, writeImageFolder, writeTree } from './corpus.js';

function config(root: string, overrides: Partial<DataConfig> = {}): DataConfig {
  return {
    root,
    train: 'train',
    test: 'test',
    validation: { fraction: 0.25, stratify: true },
    image_size: 32,
    batch_size: 4,
    eval_batch_size: 4,
    on_bad_image: 'error',
    ...overrides,
  };
}

async function dataset(): Promise<string> {
  const root = await tempRoot();
  await writeImageFolder(root, 'train', { cat: 8, dog: 5, emu: 3 });
  await writeImageFolder(root, 'test', { cat: 2, dog: 2, emu: 1 });
  return root;
}

async function failure(promise: Promise<unknown>): Promise<DataError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DataError);
  return error as DataError;
}

describe('loadDatasetSplits', () => {
  test('splits the training folder per class like StratifiedShuffleSplit, deterministically', async () => {
    const root = await dataset();
    const splits = await loadDatasetSplits({ data: config(root), root, seed: 7 });
    expect(splits.classes).toEqual(['cat', 'dog', 'emu']);
    // n = 16, n_val = ceil(0.25 * 16) = 4: train 6/4/2 (dog's .75 remainder takes the leftover draw), validation 2/1/1.
    const count = (samples: readonly { label: number }[]) => [0, 1, 2].map((c) => samples.filter((s) => s.label === c).length);
    expect(count(splits.train)).toEqual([6, 4, 2]);
    expect(count(splits.validation)).toEqual([2, 1, 1]);
    expect(splits.test?.map((s) => s.file)).toEqual([
      'test/cat/img000.png',
      'test/cat/img001.png',
      'test/dog/img000.png',
      'test/dog/img001.png',
      'test/emu/img000.png',
    ]);
    const again = await loadDatasetSplits({ data: config(root), root, seed: 7 });
    expect(again).toEqual(splits);
    const other = await loadDatasetSplits({ data: config(root), root, seed: 8 });
    expect(other.validation).not.toEqual(splits.validation);
    expect(other.fingerprint).not.toBe(splits.fingerprint);
  });

  test('the fingerprint follows file contents', async () => {
    const root = await dataset();
    const before = await loadDatasetSplits({ data: config(root), root, seed: 0 });
    await writeFile(path.join(root, 'test/cat/img000.png'), await noiseImage(40, 40, 999));
    const after = await loadDatasetSplits({ data: config(root), root, seed: 0 });
    expect(after.test).toEqual(before.test);
    expect(after.fingerprint).not.toBe(before.fingerprint);
  });

  test('validation from a folder, and no test split', async () => {
    const root = await dataset();
    await writeImageFolder(root, 'valid', { cat: 1, dog: 1, emu: 1 });
    const splits = await loadDatasetSplits({ data: config(root, { validation: { dir: 'valid' }, test: null }), root, seed: 0 });
    expect(splits.train).toHaveLength(16);
    expect(splits.validation.map((s) => s.label)).toEqual([0, 1, 2]);
    expect(splits.test).toBeNull();
  });

  describe('bad images', () => {
    async function withBadFiles(): Promise<string> {
      const root = await dataset();
      await writeTree(root, {
        'train/dog/zero.png': Buffer.alloc(0),
        'train/cat/page.jpg': '<html><body>404</body></html>',
        'test/emu/truncated.jpg': (await noiseImage(100, 80, 5, 'jpeg')).subarray(0, 1500),
      });
      return root;
    }

    test('on_bad_image: error fails with BAD_IMAGE naming the first bad file', async () => {
      const root = await withBadFiles();
      const error = await failure(loadDatasetSplits({ data: config(root), root, seed: 0 }));
      expect(error.code).toBe('BAD_IMAGE');
      expect(error.file).toBe('train/cat/page.jpg');
      expect(error.message).toBe(
        'train/cat/page.jpg: cannot decode image: Input buffer contains unsupported image format (and 2 more bad images); set data.on_bad_image: skip to leave bad images out',
      );
    });

    test('on_bad_image: skip leaves them out and lists them with reasons', async () => {
      const root = await withBadFiles();
      const splits = await loadDatasetSplits({ data: config(root, { on_bad_image: 'skip' }), root, seed: 0 });
      expect(splits.skipped.map((s) => s.file)).toEqual(['train/cat/page.jpg', 'train/dog/zero.png', 'test/emu/truncated.jpg']);
      expect(splits.skipped[1].reason).toBe('cannot decode image: empty file');
      expect(splits.skipped[2].reason).toMatch(/premature end of JPEG image/);
      expect(splits.train.length + splits.validation.length).toBe(16);
      expect(splits.test).toHaveLength(5);
    });
  });

  describe('unusable datasets are DATASET_INVALID naming the place', () => {
    test('an empty class', async () => {
      const root = await dataset();
      await mkdir(path.join(root, 'train/fox'));
      await mkdir(path.join(root, 'test/fox'));
      const error = await failure(loadDatasetSplits({ data: config(root), root, seed: 0 }));
      expect([error.code, error.file, error.message]).toEqual([
        'DATASET_INVALID',
        'train/fox',
        'train/fox: no usable images (and 1 more problem; run sweepspec data SPEC)',
      ]);
    });

    test('a class only bad images fill is empty too (under skip)', async () => {
      const root = await dataset();
      await writeTree(root, { 'train/fox/a.png': Buffer.alloc(0), 'test/fox/a.png': await noiseImage(40, 40, 1) });
      const error = await failure(loadDatasetSplits({ data: config(root, { on_bad_image: 'skip' }), root, seed: 0 }));
      expect(error.message).toBe('train/fox: no usable images');
    });

    test('a class missing from the test split', async () => {
      const root = await dataset();
      await writeImageFolder(root, 'train', { fox: 4 });
      const error = await failure(loadDatasetSplits({ data: config(root), root, seed: 0 }));
      expect([error.code, error.message]).toEqual(['DATASET_INVALID', 'test: class fox is missing']);
    });

    test('a test class the training split lacks', async () => {
      const root = await dataset();
      await writeImageFolder(root, 'test', { fox: 1 });
      const error = await failure(loadDatasetSplits({ data: config(root), root, seed: 0 }));
      expect([error.code, error.message]).toEqual(['DATASET_INVALID', 'test/fox: class not in the training split train']);
    });

    test('fewer images than a stratified split needs', async () => {
      const root = await dataset();
      await writeImageFolder(root, 'train', { fox: 1 });
      await writeImageFolder(root, 'test', { fox: 1 });
      const error = await failure(loadDatasetSplits({ data: config(root), root, seed: 0 }));
      expect(error.message).toBe('train: a stratified split needs at least 2 images per class; the smallest class has 1');
    });

    test('no classes at all', async () => {
      const root = await tempRoot();
      await mkdir(path.join(root, 'train'));
      const error = await failure(loadDatasetSplits({ data: config(root, { test: null }), root, seed: 0 }));
      expect([error.code, error.message]).toEqual(['DATASET_INVALID', 'train: no class folders']);
    });

    test('a split folder that does not exist', async () => {
      const root = await dataset();
      const error = await failure(loadDatasetSplits({ data: config(root, { test: 'holdout' }), root, seed: 0 }));
      expect([error.code, error.file]).toEqual(['DATASET_NOT_FOUND', 'holdout']);
    });
  });
});
