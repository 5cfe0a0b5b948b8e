import { afterAll, describe, expect, test } from 'vitest';
import { DataError } from '../../../runtime/data/data-error.js';
import { dataWorkerCount, DataWorkers } from '../../../runtime/data/data-workers.js';
import type { ImageTask } from '../../../runtime/data/image-task.js';
import { noiseImage } from './corpus.js';

const AUGMENT = { random_resized_crop: { scale: [0.2, 1], ratio: [3 / 4, 4 / 3] }, horizontal_flip: true, rotation: 30 } as const;
const threads = new DataWorkers(2);
const inline = new DataWorkers(0);
afterAll(() => threads.close());

function floats(count: number) {
  return { buffer: new SharedArrayBuffer(count * 32 * 32 * 3 * 4), offset: 0 };
}

// Costs about 1 s: two worker threads start (tsx, sharp) and decode a few small images.
describe('data workers', () => {
  test('threads give the same pixels and floats as the main thread, for eval and augmented images', async () => {
    const bytes = await noiseImage(90, 70, 3, 'jpeg');
    const tasks = (output: ReturnType<typeof floats>): ImageTask[] => [
      { file: 'a/x.jpg', imageSize: 32, base: { bytes, variant: 'eval' }, augment: null, output, wantPixels: true },
      { file: 'a/x.jpg', imageSize: 32, base: { bytes, variant: 'source' }, augment: { config: AUGMENT, seed: 4, epoch: 2 }, output: null, wantPixels: true },
    ];
    const onThreads = floats(1);
    const onMain = floats(1);
    const a = await Promise.all(tasks(onThreads).map((task) => threads.run(task)));
    const b = await Promise.all(tasks(onMain).map((task) => inline.run(task)));
    expect(a[0].decoded!.width).toBe(32);
    expect(a[1].decoded!.sourceWidth).toBe(90);
    for (let i = 0; i < 2; i++) {
      expect(Buffer.from(a[i].decoded!.data).equals(Buffer.from(b[i].decoded!.data))).toBe(true);
      expect(Buffer.from(a[i].pixels!.data).equals(Buffer.from(b[i].pixels!.data))).toBe(true);
    }
    // The decoded images live in shared memory: handing them back to a worker copies nothing.
    expect(a[0].decoded!.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Buffer.from(onThreads.buffer).equals(Buffer.from(onMain.buffer))).toBe(true);
    expect(new Float32Array(onThreads.buffer).some((v) => v !== 0)).toBe(true);
  });

  test('a bad image fails its task with BAD_IMAGE naming the file; the worker goes on', async () => {
    const bad = threads.run({ file: 'a/bad.jpg', imageSize: 32, base: { bytes: Buffer.from('not an image'), variant: 'eval' }, augment: null, output: null });
    await expect(bad).rejects.toBeInstanceOf(DataError);
    await expect(bad).rejects.toMatchObject({ code: 'BAD_IMAGE', file: 'a/bad.jpg' });
    const good = await threads.run({ file: 'a/ok.png', imageSize: 32, base: { bytes: await noiseImage(40, 40, 1), variant: 'eval' }, augment: null, output: null });
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
