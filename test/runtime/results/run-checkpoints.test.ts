import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendEpochMetrics, readEpochMetrics } from '../../../runtime/results/metrics-log.js';
import type { EpochMetrics } from '../../../runtime/results/records.js';
import { openRunForResume, persistEpoch } from '../../../runtime/results/run-checkpoints.js';
import { runPaths, specPaths } from '../../../runtime/results/run-paths.js';
import type { TrainingState } from '../../../runtime/train/types.js';

const metrics = (n: number, val: number): EpochMetrics => ({
  epoch: n, train_loss: 1, train_accuracy: 0.5, val_loss: 1, val_accuracy: val,
  lr: 0.1, lr_end: 0.1, seconds: 1, images_per_second: 10,
});
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'session-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('run checkpoints', () => {
  it('keeps the latest and the best checkpoint, and resumes from the latest with metrics truncated', async () => {
    const paths = runPaths(specPaths(dir, 'spec'), 'abc');
    await mkdir(paths.dir, { recursive: true });
    const vals = [0.5, 0.9, 0.6, 0.7];
    const history: EpochMetrics[] = [];
    let best: TrainingState['best'] = null;
    for (let epoch = 1; epoch <= 4; epoch++) {
      history.push(metrics(epoch, vals[epoch - 1]));
      if (!best || vals[epoch - 1] > best.value) best = { epoch, value: vals[epoch - 1] };
      const state: TrainingState = { epochsCompleted: epoch, history: [...history], best, epochsWithoutImprovement: 0, step: epoch * 3 };
      await persistEpoch(paths, { metrics: history.at(-1)!, state, files: [{ name: 'w.bin', bytes: new Uint8Array([epoch]) }] });
    }
    expect(await readdir(paths.checkpoints)).toEqual(['epoch-0002', 'epoch-0004']);
    // The attempt died after appending epoch 5's metrics but before its checkpoint.
    await appendEpochMetrics(paths.metrics, metrics(5, 0.1));
    const opened = await openRunForResume(paths);
    expect(opened.resume?.checkpoint.epoch).toBe(4);
    expect(opened.resume?.state.step).toBe(12);
    expect((await readEpochMetrics(paths.metrics)).map((m) => m.epoch)).toEqual([1, 2, 3, 4]);
  });

  it('starts from scratch with an empty metrics log when no checkpoint is valid', async () => {
    const paths = runPaths(specPaths(dir, 'spec'), 'abc');
    await mkdir(join(paths.checkpoints, 'epoch-0001'), { recursive: true });
    await appendEpochMetrics(paths.metrics, metrics(1, 0.1));
    const opened = await openRunForResume(paths);
    expect(opened.resume).toBeNull();
    expect(opened.problems.map((p) => p.code)).toEqual(['CHECKPOINT_INCOMPLETE']);
    expect(await readEpochMetrics(paths.metrics)).toEqual([]);
  });
});
