import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256 } from '../../../runtime/results/checkpoint-store.js';
import { readRunRecord, writeRunRecord } from '../../../runtime/results/record-file.js';
import type { EpochMetrics, RunStatus } from '../../../runtime/results/records.js';
import { persistEpoch } from '../../../runtime/results/run-checkpoints.js';
import { runPaths, specPaths, type SpecPaths } from '../../../runtime/results/run-paths.js';
import { acquireLease } from '../../../runtime/runner/lease.js';
import { planPrune, prune } from '../../../runtime/runner/prune-study.js';
import { studyDisk } from '../../../runtime/runner/study-disk.js';
import type { TrainingState } from '../../../runtime/train/types.js';
import { runWeights } from '../../../runtime/weights/run-weights.js';

const bytes = (text: string) => new TextEncoder().encode(text);
let dir: string;
let spec: SpecPaths;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'prune-'));
  spec = specPaths(dir, 'study');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/**
 * A run as the executor leaves it before completion: two epochs (the first
 * kept), each with 1000 bytes of weights naming a frozen file and 2000 of
 * optimizer state, and a record of the given status (no compaction yet, as
 * in results written before it existed or a kill right after the record).
 */
async function storedRun(id: string, status: RunStatus, frozen: string): Promise<void> {
  const paths = runPaths(spec, id);
  await mkdir(paths.dir, { recursive: true });
  const vals = [0.9, 0.5];
  const history: EpochMetrics[] = [];
  for (const [i, val] of vals.entries()) {
    history.push({ epoch: i + 1, train_loss: 1, train_accuracy: 0.5, val_loss: 1, val_accuracy: val, lr: 0.1, lr_end: 0.1, seconds: 1, images_per_second: 1 });
    const state: TrainingState = { epochsCompleted: i + 1, history: [...history], best: { epoch: 1, value: 0.9 }, epochsWithoutImprovement: i, step: i + 1 };
    await persistEpoch(paths, {
      metrics: history.at(-1)!, state, resumeOnly: ['optimizer.safetensors'],
      files: [{ name: 'model.safetensors', bytes: new Uint8Array(1000) }, { name: 'optimizer.safetensors', bytes: new Uint8Array(2000) }],
      shared: { frozen: { path: `../../../../frozen/${frozen}`, sha256: sha256(bytes(frozen)), bytes: frozen.length } },
    });
  }
  await mkdir(spec.frozen, { recursive: true });
  await writeFile(join(spec.frozen, frozen), frozen);
  await writeRunRecord(paths.record, { id, name: id, experiments: ['main'], status, epochs_completed: 2, best_epoch: 1, classes: ['a', 'b'] });
  await writeFile(paths.config, JSON.stringify({ model: { arch: 'resnet18' }, data: { image_size: 32 } }));
}

describe('sweepspec prune', () => {
  it('frees the optimizer state and superseded checkpoints of completed runs only, and initial weights nothing names', async () => {
    await storedRun('done', 'completed', 'f1');
    await storedRun('stopped', 'interrupted', 'f2');
    await storedRun('broken', 'failed', 'f2');
    await writeFile(join(spec.frozen, 'orphan'), 'xxxx');
    await mkdir(spec.cache, { recursive: true });
    await writeFile(join(spec.cache, 'features'), 'cache!');

    const planned = await planPrune(spec);
    expect(planned.items.map((i) => [i.path.slice(spec.root.length + 1), i.what, i.bytes])).toEqual([
      ['runs/done/checkpoints/epoch-0002', 'superseded checkpoint', expect.any(Number)],
      ['frozen/orphan', 'unreferenced initial weights', 4],
    ]);
    expect(planned.untouched).toEqual([
      { id: 'broken', reason: 'failed: keeps its checkpoints to continue' },
      { id: 'stopped', reason: 'interrupted: keeps its checkpoints to continue' },
    ]);
    const disk = await studyDisk(spec);
    expect(disk.prunableBytes).toBe(planned.items.reduce((sum, i) => sum + i.bytes, 0));
    expect(disk.cacheBytes).toBe(6);

    const result = await prune(spec);
    expect(result.freedBytes).toBe(disk.prunableBytes);
    expect(await readdir(runPaths(spec, 'done').checkpoints)).toEqual(['epoch-0001']);
    expect((await readdir(join(runPaths(spec, 'done').checkpoints, 'epoch-0001'))).sort()).toEqual(['manifest.json', 'model.safetensors', 'state.json']);
    expect(await readdir(runPaths(spec, 'stopped').checkpoints)).toEqual(['epoch-0001', 'epoch-0002']);
    expect((await readdir(join(runPaths(spec, 'stopped').checkpoints, 'epoch-0002'))).sort()).toContain('optimizer.safetensors');
    expect((await readdir(spec.frozen)).sort()).toEqual(['f1', 'f2']);
    expect(await readdir(spec.cache)).toEqual(['features']);
    expect((await planPrune(spec)).items).toEqual([]);
  });

  it('keeps the initial weights checkpoints name when the results folder is given relative to the working folder', async () => {
    spec = specPaths(relative(process.cwd(), dir), 'study'); // as `status` and `prune` get it from the default `--results results`
    await storedRun('done', 'completed', 'f1');
    await writeFile(join(spec.frozen, 'orphan'), 'xxxx');
    expect((await planPrune(spec)).items.filter((i) => i.what === 'unreferenced initial weights').map((i) => i.path)).toEqual([join(spec.frozen, 'orphan')]);
    await prune(spec);
    expect(await readdir(spec.frozen)).toEqual(['f1']);
  });

  it('leaves a running run and, while one runs, the shared initial weights and cache', async () => {
    await storedRun('done', 'completed', 'f1');
    await storedRun('busy', 'completed', 'f2');
    await writeFile(join(spec.frozen, 'orphan'), 'xxxx');
    const lease = await acquireLease(runPaths(spec, 'busy').lease);
    try {
      const planned = await planPrune(spec, { cache: true });
      expect(planned.busy).toBe(true);
      expect(planned.untouched).toEqual([{ id: 'busy', reason: 'running' }]);
      await prune(spec, { cache: true });
      expect(await readdir(runPaths(spec, 'busy').checkpoints)).toEqual(['epoch-0001', 'epoch-0002']);
      expect(await readdir(runPaths(spec, 'done').checkpoints)).toEqual(['epoch-0001']);
      expect((await readdir(spec.frozen)).sort()).toEqual(['f1', 'f2', 'orphan']);
    } finally {
      await lease?.release();
    }
  });

  it('with --weights removes kept weights too, and predict then says why', async () => {
    await storedRun('done', 'completed', 'f1');
    await prune(spec, { weights: true });
    expect((await readdir(runPaths(spec, 'done').dir)).sort()).toEqual(['config.json', 'metrics.jsonl', 'record.json']);
    expect(await readdir(spec.frozen)).toEqual([]);
    expect(await readRunRecord(runPaths(spec, 'done').record)).toMatchObject({ status: 'completed', weights_pruned: true });
    await expect(runWeights(runPaths(spec, 'done').dir)).rejects.toThrow(/were removed by `sweepspec prune --weights`/);
  });
});
