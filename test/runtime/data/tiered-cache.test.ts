import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { FEATURE_CODEC, IMAGE_CODEC, type CachedImage } from '../../../runtime/data/cache-codecs.js';
import { TieredCache } from '../../../runtime/data/tiered-cache.js';
import { tempRoot } from './corpus.js';

const image = (value: number): CachedImage => ({ width: 2, height: 1, sourceWidth: 4, sourceHeight: 2, data: new Uint8Array(6).fill(value) });
const key = (n: number) => n.toString(16).padStart(64, '0');

describe('TieredCache', () => {
  test('memory stays under its byte cap and evicts the least recently used entry for one asked for more often', async () => {
    const cache = new TieredCache({ dir: null, memoryBytes: 2 * IMAGE_CODEC.byteLength(image(0)), diskBytes: 0, codec: IMAGE_CODEC });
    await cache.put(key(1), image(1));
    await cache.put(key(2), image(2));
    expect(await cache.get(key(1))).toEqual(image(1));
    // Key 3 was never asked for: it does not push out key 2, which was not either.
    await cache.put(key(3), image(3));
    expect(cache.stats.notAdmitted).toBe(1);
    expect(await cache.get(key(3))).toBeUndefined();
    // Asked for once more than key 2 is not enough; twice more, and key 2 (the least recently used) goes.
    await cache.put(key(3), image(3));
    expect(cache.stats.notAdmitted).toBe(2);
    expect(await cache.get(key(3))).toBeUndefined();
    await cache.put(key(3), image(3));
    expect(await cache.get(key(2))).toBeUndefined();
    expect(await cache.get(key(1))).toEqual(image(1));
    expect(await cache.get(key(3))).toEqual(image(3));
    expect(cache.stats.memoryBytes).toBe(2 * IMAGE_CODEC.byteLength(image(0)));
  });

  test('a working set 4x the memory cap, read in a new order every epoch, keeps a quarter in memory instead of thrashing', async () => {
    const entries = 64;
    const cache = new TieredCache({ dir: null, memoryBytes: (entries / 4) * IMAGE_CODEC.byteLength(image(0)), diskBytes: 0, codec: IMAGE_CODEC });
    const hitsPerEpoch: number[] = [];
    for (let epoch = 0; epoch < 6; epoch++) {
      const before = cache.stats.memoryHits;
      // A different permutation each epoch (multiplying by an odd number mod 64).
      for (let i = 0; i < entries; i++) {
        const k = key(((i * (2 * epoch + 1) + epoch) % entries) + 1);
        if (!(await cache.get(k))) await cache.put(k, image(1));
      }
      hitsPerEpoch.push(cache.stats.memoryHits - before);
    }
    // Plain LRU would hit next to nothing here once the permutations stop lining up.
    expect(hitsPerEpoch.slice(1).every((hits) => hits === entries / 4)).toBe(true);
    expect(cache.stats.memoryBytes).toBeLessThanOrEqual((entries / 4) * IMAGE_CODEC.byteLength(image(0)));
  });

  test('the disk tier survives the process, reads a damaged file as a miss, and stops at its cap', async () => {
    const dir = await tempRoot();
    const entryBytes = IMAGE_CODEC.encode(image(0)).length;
    const first = new TieredCache({ dir, memoryBytes: 0, diskBytes: 2 * entryBytes, codec: IMAGE_CODEC });
    await first.put(key(1), image(1));
    await first.put(key(2), image(2));
    await first.put(key(3), image(3));
    expect(first.stats.diskBytesWritten).toBe(2 * entryBytes);
    const later = new TieredCache({ dir, memoryBytes: 1 << 20, diskBytes: 2 * entryBytes, codec: IMAGE_CODEC });
    expect(await later.get(key(1))).toEqual(image(1));
    expect(await later.get(key(3))).toBeUndefined();
    await writeFile(path.join(dir, key(2).slice(0, 2), `${key(2)}.bin`), Buffer.from([1, 2, 3]));
    expect(await later.get(key(2))).toBeUndefined();
    expect([later.stats.diskHits, later.stats.misses]).toEqual([1, 2]);
    expect((await readdir(path.join(dir, '00'))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  test('feature entries keep their shape and values through the disk', () => {
    const feature = { shape: [2, 3], data: Float32Array.from([0.5, -1, 3.25, 1e-8, 7, -0]) };
    expect(FEATURE_CODEC.decode(FEATURE_CODEC.encode(feature))).toEqual(feature);
  });
});
