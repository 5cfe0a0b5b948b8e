import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeJsonAtomic } from '../../../runtime/results/atomic-write.js';
import { type CheckpointManifest, scanCheckpoints, sha256, writeCheckpoint } from '../../../runtime/results/checkpoint-store.js';
import { compactCompletedRun } from '../../../runtime/results/compact-run.js';
import type { EpochMetrics } from '../../../runtime/results/records.js';
import { openRunForResume, persistEpoch } from '../../../runtime/results/run-checkpoints.js';
import { runPaths, specPaths } from '../../../runtime/results/run-paths.js';
import type { TrainingState } from '../../../runtime/train/types.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const metrics = (epoch: number, val: number): EpochMetrics => ({
  epoch, train_loss: 1, train_accuracy: 0.5, val_loss: 1, val_accuracy: val, lr: 0.1, lr_end: 0.1, seconds: 1, images_per_second: 10,
});
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'compact-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Epochs with the given validation accuracies, each checkpoint holding weights and resume-only optimizer state. */
async function train(vals: readonly number[]) {
  const paths = runPaths(specPaths(dir, 'spec'), 'abc');
  await mkdir(paths.dir, { recursive: true });
  const history: EpochMetrics[] = [];
  let best: TrainingState['best'] = null;
  for (const [i, val] of vals.entries()) {
    const epoch = i + 1;
    history.push(metrics(epoch, val));
    if (!best || val > best.value) best = { epoch, value: val };
    const state: TrainingState = { epochsCompleted: epoch, history: [...history], best, epochsWithoutImprovement: 0, step: epoch };
    await persistEpoch(paths, {
      metrics: history.at(-1)!, state, resumeOnly: ['optimizer.bin'],
      files: [{ name: 'model.bin', bytes: bytes(`w${epoch}`) }, { name: 'optimizer.bin', bytes: bytes(`o${epoch}`) }],
    });
  }
  return paths;
}

describe('keeping only what a run needs', () => {
  it('drops the optimizer state of an older kept checkpoint during training and resumes from the latest', async () => {
    const paths = await train([0.5, 0.9, 0.6, 0.7]);
    expect(await readdir(paths.checkpoints)).toEqual(['epoch-0002', 'epoch-0004']);
    expect((await readdir(join(paths.checkpoints, 'epoch-0002'))).sort()).toEqual(['manifest.json', 'model.bin', 'state.json']);
    expect((await readdir(join(paths.checkpoints, 'epoch-0004'))).sort()).toEqual(['manifest.json', 'model.bin', 'optimizer.bin', 'state.json']);
    const { valid } = await scanCheckpoints(paths.checkpoints);
    expect(valid.map((c) => [c.epoch, c.manifest.stripped ?? false])).toEqual([[2, true], [4, false]]);
    expect((await openRunForResume(paths)).resume?.checkpoint.epoch).toBe(4);
  });

  it('never resumes from a stripped checkpoint: without a resumable one the run starts over', async () => {
    const paths = await train([0.5, 0.9, 0.6]);
    await writeFile(join(paths.checkpoints, 'epoch-0003', 'optimizer.bin'), 'flipped');
    const opened = await openRunForResume(paths);
    expect(opened.problems.map((p) => [p.epoch, p.code])).toEqual([[3, 'CHECKPOINT_CORRUPT']]);
    expect(opened.resume).toBeNull();
  });

  it('leaves a completed run its kept epoch alone, without optimizer state, and is safe to repeat after a kill', async () => {
    const paths = await train([0.5, 0.9, 0.6]);
    // A kill after the manifest was rewritten but before the files went: the folder is valid, the leftovers go next time.
    const kept = join(paths.checkpoints, 'epoch-0002');
    await writeFile(join(kept, '.model.bin.tmp-1-0'), 'torn');
    expect(await compactCompletedRun(paths, 2)).toMatchObject({ compacted: true, kept: { epoch: 2 } });
    expect(await readdir(paths.checkpoints)).toEqual(['epoch-0002']);
    expect((await readdir(kept)).sort()).toEqual(['manifest.json', 'model.bin', 'state.json']);
    expect(await compactCompletedRun(paths, 2)).toMatchObject({ compacted: true, kept: { epoch: 2 } });
    const { valid, problems } = await scanCheckpoints(paths.checkpoints);
    expect(problems).toEqual([]);
    expect(valid.map((c) => c.epoch)).toEqual([2]);
    expect(await readFile(join(kept, 'model.bin'), 'utf8')).toBe('w2');
  });

  it('removes nothing when the kept checkpoint is unusable', async () => {
    const paths = await train([0.5, 0.9, 0.6]);
    await writeFile(join(paths.checkpoints, 'epoch-0002', 'model.bin'), 'flipped');
    expect(await compactCompletedRun(paths, 2)).toEqual({ compacted: false });
    expect(await readdir(paths.checkpoints)).toEqual(['epoch-0002', 'epoch-0003']);
  });

  it('treats optimizer.safetensors of checkpoints written before resume_only existed as resume-only', async () => {
    const paths = runPaths(specPaths(dir, 'spec'), 'old');
    const written = await writeCheckpoint(paths.checkpoints, 1, [{ name: 'model.safetensors', bytes: bytes('m') }, { name: 'optimizer.safetensors', bytes: bytes('o') }]);
    expect(written.manifest.resume_only).toBeUndefined();
    await compactCompletedRun(paths, 1);
    expect((await readdir(written.dir)).sort()).toEqual(['manifest.json', 'model.safetensors']);
  });
});

describe('shared files named by a manifest', () => {
  it('are verified with the checkpoint: missing or changed makes it corrupt', async () => {
    const shared = join(dir, 'frozen', 'blob.safetensors');
    await mkdir(join(dir, 'frozen'), { recursive: true });
    await writeFile(shared, 'frozen tensors');
    const checkpoints = join(dir, 'run', 'checkpoints');
    const digest = { path: '../../../frozen/blob.safetensors', sha256: sha256(bytes('frozen tensors')), bytes: 14 };
    await writeCheckpoint(checkpoints, 1, [{ name: 'model.bin', bytes: bytes('head') }], { shared: { frozen: digest } });
    expect((await scanCheckpoints(checkpoints)).valid.map((c) => c.epoch)).toEqual([1]);
    await writeFile(shared, 'frozen tensorz');
    expect((await scanCheckpoints(checkpoints)).problems.map((p) => p.message)).toEqual([
      'the frozen weights file ../../../frozen/blob.safetensors does not match its sha256 in the manifest',
    ]);
    await rm(shared);
    expect((await scanCheckpoints(checkpoints)).problems.map((p) => p.message)).toEqual(['the frozen weights file ../../../frozen/blob.safetensors is missing']);
    const manifest = JSON.parse(await readFile(join(checkpoints, 'epoch-0001', 'manifest.json'), 'utf8')) as CheckpointManifest;
    await writeJsonAtomic(join(checkpoints, 'epoch-0001', 'manifest.json'), { ...manifest, shared: { frozen: { ...digest, bytes: 3 } } });
    await writeFile(shared, 'frozen tensors');
    expect((await scanCheckpoints(checkpoints)).problems.map((p) => p.message)).toEqual(['the frozen weights file ../../../frozen/blob.safetensors has 14 bytes, the manifest says 3']);
  });
});
