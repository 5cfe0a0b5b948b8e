import { afterAll, describe, expect, test } from 'vitest';
import { IMAGE_CODEC } from '../../../runtime/data/cache-codecs.js';
import { DataError } from '../../../runtime/data/data-error.js';
import { dataWorkerCount, DataWorkers } from '../../../runtime/data/data-workers.js';
import type { ImageTask } from '../../../runtime/data/image-task.js';
import { noiseImage } from './corpus.js';

const AUGMENT = { random_resized_crop: { scale: [0.2, 1], ratio: [3 / 4, 4 / 3] }, horizontal_flip: true, rotation: 30 } as const;
const threads = new DataWorkers(2);
const inline = new DataWorkers(0);
afterAll(() => threads.close());

// Costs about 1 s: two worker threads start (tsx, sharp) and decode a few small images.
describe('data workers', () => {
  test('threads give the same pixels and floats as the main thread, for eval and augmented images', async () => {
    const bytes = await noiseImage(90, 70, 3, 'jpeg');
    const tasks: ImageTask[] = [
      { file: 'a/x.jpg', imageSize: 32, base: { bytes, variant: 'eval' }, augment: null, normalize: true, wantPixels: true },
      { file: 'a/x.jpg', imageSize: 32, base: { bytes, variant: 'source' }, augment: { config: AUGMENT, seed: 4, epoch: 2 }, normalize: true, wantPixels: true },
    ];
    const a = await Promise.all(tasks.map((task) => threads.run(task)));
    const b = await Promise.all(tasks.map((task) => inline.run(task)));
    expect(a[0].decoded!.width).toBe(32);
    expect(a[1].decoded!.sourceWidth).toBe(90);
    for (let i = 0; i < 2; i++) {
      expect(Buffer.from(a[i].decoded!.data).equals(Buffer.from(b[i].decoded!.data))).toBe(true);
      expect(Buffer.from(a[i].pixels!.data).equals(Buffer.from(b[i].pixels!.data))).toBe(true);
      expect(a[i].floats).toEqual(b[i].floats);
      expect(a[i].floats!.length).toBe(32 * 32 * 3);
    }
    // An augmented image starting from a cached one (held in shared memory by the cache) gives the same pixels.
    const held = IMAGE_CODEC.hold!(a[1].decoded!);
    expect(held.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    const again = await threads.run({ ...tasks[1], base: { image: held } });
    expect(Buffer.from(again.pixels!.data).equals(Buffer.from(a[1].pixels!.data))).toBe(true);
  });

  test('a bad image fails its task with BAD_IMAGE naming the file; the worker goes on', async () => {
    const bad = threads.run({ file: 'a/bad.jpg', imageSize: 32, base: { bytes: Buffer.from('not an image'), variant: 'eval' }, augment: null, normalize: false });
    await expect(bad).rejects.toBeInstanceOf(DataError);
    await expect(bad).rejects.toMatchObject({ code: 'BAD_IMAGE', file: 'a/bad.jpg' });
    const good = await threads.run({ file: 'a/ok.png', imageSize: 32, base: { bytes: await noiseImage(40, 40, 1), variant: 'eval' }, augment: null, normalize: false });
    expect(good.decoded!.width).toBe(32);
  });

  test('SWEEPSPEC_DATA_WORKERS: auto or unset follows the cores, 0 means the main thread, nonsense is refused', () => {
    expect(dataWorkerCount({})).toBeGreaterThanOrEqual(1);
    expect(dataWorkerCount({ SWEEPSPEC_DATA_WORKERS: 'auto' })).toBe(dataWorkerCount({}));
    expect(dataWorkerCount({ SWEEPSPEC_DATA_WORKERS: '0' })).toBe(0);
    expect(dataWorkerCount({ SWEEPSPEC_DATA_WORKERS: '3' })).toBe(3);
    expect(() => dataWorkerCount({ SWEEPSPEC_DATA_WORKERS: 'many' })).toThrow(/SWEEPSPEC_DATA_WORKERS must be auto or an integer/);
  });
});
