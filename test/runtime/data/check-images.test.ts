import { describe, expect, test } from 'vitest';
import { checkImages } from '../../../runtime/data/check-images.js';
import { createDataCaches } from '../../../runtime/data/data-caches.js';
import { noiseImage, tempRoot, writeTree } from './corpus.js';

describe('checkImages', () => {
  test('good, bad and unreadable files, in input order', async () => {
    const root = await tempRoot();
    await writeTree(root, { 'a/good.png': await noiseImage(50, 40, 1), 'a/bad.jpg': 'not an image' });
    const checked = await checkImages({ root, files: ['a/good.png', 'a/bad.jpg', 'a/gone.png'], imageSize: 32, caches: null });
    expect(checked.map((c) => [c.file, c.check])).toEqual([
      ['a/good.png', { ok: true, width: 50, height: 40 }],
      ['a/bad.jpg', { ok: false, reason: 'cannot decode image: Input buffer contains unsupported image format' }],
      ['a/gone.png', { ok: false, reason: 'cannot read file: ENOENT' }],
    ]);
  });

  test('a file whose eval image is cached is not decoded again, even by another process', async () => {
    const root = await tempRoot();
    await writeTree(root, { 'a/good.png': await noiseImage(50, 40, 2) });
    const first = createDataCaches({ cacheDir: `${root}/.cache` });
    await checkImages({ root, files: ['a/good.png'], imageSize: 32, caches: first });
    await first.images.settled();
    const later = createDataCaches({ cacheDir: `${root}/.cache` });
    const [again] = await checkImages({ root, files: ['a/good.png'], imageSize: 32, caches: later });
    expect(again.check).toEqual({ ok: true, width: 50, height: 40 });
    expect([later.images.stats.diskHits, later.images.stats.misses]).toEqual([1, 0]);
  });
});
