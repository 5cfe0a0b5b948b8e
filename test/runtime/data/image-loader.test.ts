import { createHash } from 'node:crypto';
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { createDataCaches } from '../../../runtime/data/data-caches.js';
import { DataError } from '../../../runtime/data/data-error.js';
import { resetDataWorkers } from '../../../runtime/data/data-workers.js';
import { findImage, imageCacheKey, runWithCache } from '../../../runtime/data/image-loader.js';
import { noiseImage, tempRoot } from './corpus.js';

const digestOf = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function filesUnder(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name);
}

// Two worker threads: the file is read where it is decoded.
const workers = await resetDataWorkers(2);
afterAll(() => workers.close());

describe('files read by the data workers', () => {
  test('a file whose digest is known is read and hashed by the worker, with the same pixels and cache entries', async () => {
    const root = await tempRoot();
    const bytes = await noiseImage(50, 40, 7, 'jpeg');
    await writeFile(path.join(root, 'a.jpg'), bytes);
    const options = { root, imageSize: 32, caches: createDataCaches({ cacheDir: path.join(root, 'cache') }) };
    const first = await findImage(options, 'a.jpg', 'eval');
    expect('bytes' in first).toBe(true); // never hashed in this process: the main thread reads it
    const fromBytes = await runWithCache({ ...options, caches: null }, first, { file: 'a.jpg', augment: null, normalize: false });

    const again = await findImage({ ...options, caches: null }, 'a.jpg', 'eval');
    expect(again).toMatchObject({ variant: 'eval', digest: digestOf(bytes) });
    expect('path' in again).toBe(true);
    const fromPath = await runWithCache(options, again, { file: 'a.jpg', augment: null, normalize: false });
    expect(fromPath.digest).toBe(digestOf(bytes));
    expect(Buffer.from(fromPath.decoded!.data).equals(Buffer.from(fromBytes.decoded!.data))).toBe(true);
    expect(await options.caches.images.get(imageCacheKey('eval', digestOf(bytes), 32))).toBeDefined();
    expect(await filesUnder(path.join(root, 'cache'))).toContain(`${imageCacheKey('eval', digestOf(bytes), 32)}.bin`);
  });

  test('a file changed after it was hashed: DATASET_CHANGED when the split expects the old digest, else cached under the new one only', async () => {
    const root = await tempRoot();
    const before = await noiseImage(30, 30, 1, 'jpeg');
    const after = await noiseImage(30, 30, 2, 'jpeg');
    await writeFile(path.join(root, 'b.jpg'), after);
    const stale = { path: Buffer.from(path.join(root, 'b.jpg')), variant: 'eval' as const, digest: digestOf(before) };

    const expected = new Map([['b.jpg', digestOf(before)]]);
    const error = await runWithCache({ root, imageSize: 16, caches: null, expected }, stale, { file: 'b.jpg', augment: null, normalize: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect([(error as DataError).code, (error as DataError).file]).toEqual(['DATASET_CHANGED', 'b.jpg']);

    const caches = createDataCaches({ cacheDir: path.join(root, 'cache') });
    const result = await runWithCache({ root, imageSize: 16, caches }, stale, { file: 'b.jpg', augment: null, normalize: false });
    expect(result.digest).toBe(digestOf(after));
    expect(await caches.images.get(imageCacheKey('eval', digestOf(after), 16))).toBeDefined();
    expect(await caches.images.get(imageCacheKey('eval', digestOf(before), 16))).toBeUndefined();
    expect(await filesUnder(path.join(root, 'cache')).catch(() => [])).toEqual([]);
  });

  test('a file gone by the time the worker reads it fails with its system error code', async () => {
    const root = await tempRoot();
    const gone = { path: Buffer.from(path.join(root, 'missing.jpg')), variant: 'eval' as const, digest: 'f'.repeat(64) };
    const error = await runWithCache({ root, imageSize: 16, caches: null }, gone, { file: 'missing.jpg', augment: null, normalize: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as NodeJS.ErrnoException).code).toBe('ENOENT');
    expect((error as Error).message).toMatch(/missing\.jpg/);
  });
});
