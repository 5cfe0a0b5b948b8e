import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendEpochMetrics, readEpochMetrics, rewriteEpochMetrics } from '../../../runtime/results/metrics-log.js';
import type { EpochMetrics } from '../../../runtime/results/records.js';

const epoch = (n: number): EpochMetrics => ({
  epoch: n, train_loss: 1 / n, train_accuracy: 0.5, val_loss: 1, val_accuracy: 0.4,
  lr: 0.1, lr_end: 0.1, seconds: 1, images_per_second: 10,
});
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'metrics-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('metrics log', () => {
  it('appends one line per epoch and reads them back', async () => {
    const path = join(dir, 'metrics.jsonl');
    expect(await readEpochMetrics(path)).toEqual([]);
    await appendEpochMetrics(path, epoch(1));
    await appendEpochMetrics(path, epoch(2));
    expect((await readFile(path, 'utf8')).split('\n')).toHaveLength(3);
    expect(await readEpochMetrics(path)).toEqual([epoch(1), epoch(2)]);
  });

  it('ignores a torn last line and rewrites to an exact history', async () => {
    const path = join(dir, 'metrics.jsonl');
    await appendEpochMetrics(path, epoch(1));
    await appendFile(path, '{"epoch":2,"train_lo');
    expect(await readEpochMetrics(path)).toEqual([epoch(1)]);
    await rewriteEpochMetrics(path, [epoch(1)]);
    await appendEpochMetrics(path, epoch(2));
    expect(await readEpochMetrics(path)).toEqual([epoch(1), epoch(2)]);
  });
});
