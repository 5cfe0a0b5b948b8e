import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Random } from '../../../runtime/random.js';
import { scanCheckpoints, sha256 } from '../../../runtime/results/checkpoint-store.js';
import { modelFileOf } from '../../../runtime/results/model-file.js';
import type { EpochMetrics } from '../../../runtime/results/records.js';
import { persistEpoch } from '../../../runtime/results/run-checkpoints.js';
import { type RunPaths, runPaths, specPaths } from '../../../runtime/results/run-paths.js';
import { compactAndPackCompletedRun } from '../../../runtime/runner/pack-kept-weights.js';
import { readWeightsFile } from '../../../runtime/weights/read-weights.js';
import { encodeSafetensors } from '../../../runtime/weights/safetensors.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pack-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const random = new Random(11);
const initial = Float32Array.from({ length: 40_000 }, () => random.uniform(-0.1, 0.1));
const weights = (epoch: number) => encodeSafetensors(new Map([
  ['conv.weight', { dtype: 'F32' as const, shape: [initial.length], values: initial.map((v, i) => v * (1 + 1e-3 * epoch * Math.sin(i))) }],
  ['fc.weight', { dtype: 'F32' as const, shape: [4], values: Float32Array.from([epoch, 2, 3, 4]) }],
]));

/** A completed two-epoch run whose checkpoints name the stored initial weights as their base. */
async function completedRun(): Promise<{ paths: RunPaths; kept: string }> {
  const paths = runPaths(specPaths(dir, 'spec'), 'run');
  const base = encodeSafetensors(new Map([['conv.weight', { dtype: 'F32' as const, shape: [initial.length], values: initial }]]));
  await mkdir(paths.frozenStore, { recursive: true });
  await mkdir(paths.dir, { recursive: true });
  const baseFile = join(paths.frozenStore, `${sha256(base)}.safetensors`);
  await writeFile(baseFile, base);
  const shared = { base: { path: relative(join(paths.checkpoints, 'epoch-0001'), baseFile), sha256: sha256(base), bytes: base.byteLength } };
  const history: EpochMetrics[] = [];
  for (const epoch of [1, 2]) {
    history.push({ epoch, train_loss: 1, train_accuracy: 0.5, val_loss: 1, val_accuracy: 0.5, lr: 0.1, lr_end: 0.1, seconds: 1, images_per_second: 1 });
    await persistEpoch(paths, {
      metrics: history.at(-1)!, shared, resumeOnly: ['optimizer.safetensors'],
      state: { epochsCompleted: epoch, history: [...history], best: null, epochsWithoutImprovement: 0, step: epoch },
      files: [{ name: 'model.safetensors', bytes: weights(epoch) }, { name: 'optimizer.safetensors', bytes: new Uint8Array(8) }],
    });
  }
  return { paths, kept: join(paths.checkpoints, 'epoch-0002') };
}

async function keptTensors(paths: RunPaths) {
  const { valid, problems } = await scanCheckpoints(paths.checkpoints);
  expect(problems).toEqual([]);
  return (await readWeightsFile(modelFileOf(valid[0]))).tensors;
}

describe('packing the kept weights of a completed run', () => {
  it('replaces the model file by its packed form, which reads back as the same tensors', async () => {
    const { paths, kept } = await completedRun();
    const before = await readWeightsFile(join(kept, 'model.safetensors'));
    const result = await compactAndPackCompletedRun(paths, 2);
    expect(result.pack).toMatchObject({ packed: true, before: weights(2).byteLength });
    expect(result.pack!.after).toBeLessThan(0.6 * result.pack!.before);
    expect((await readdir(kept)).sort()).toEqual(['manifest.json', 'model.safetensors.packed', 'state.json']);
    const after = await keptTensors(paths);
    for (const [name, entry] of before.tensors) expect(Array.from(after.get(name)!.values)).toEqual(Array.from(entry.values));
    expect((await compactAndPackCompletedRun(paths, 2)).pack).toMatchObject({ packed: true }); // again: nothing to do
  });

  it('survives a kill at either step: the leftover goes and the run reads back the same', async () => {
    // Killed after writing the packed file, before the manifest named it: the file is a leftover, packing starts over.
    const first = await completedRun();
    await writeFile(join(first.kept, 'model.safetensors.packed'), 'half-written');
    expect((await compactAndPackCompletedRun(first.paths, 2)).pack?.packed).toBe(true);
    expect((await readdir(first.kept)).sort()).toEqual(['manifest.json', 'model.safetensors.packed', 'state.json']);
    expect(Array.from((await keptTensors(first.paths)).get('fc.weight')!.values)).toEqual([2, 2, 3, 4]);

    // Killed after the manifest named the packed file, before the original went: the original is the leftover.
    await rm(dir, { recursive: true, force: true });
    const second = await completedRun();
    const original = join(dir, 'original');
    await copyFile(join(second.kept, 'model.safetensors'), original);
    await compactAndPackCompletedRun(second.paths, 2);
    await copyFile(original, join(second.kept, 'model.safetensors'));
    expect(Array.from((await keptTensors(second.paths)).get('fc.weight')!.values)).toEqual([2, 2, 3, 4]);
    await compactAndPackCompletedRun(second.paths, 2);
    expect((await readdir(second.kept)).sort()).toEqual(['manifest.json', 'model.safetensors.packed', 'state.json']);
  });

  it('leaves weights unpacked, and says why in the manifest, when packing saves too little', async () => {
    const { paths, kept } = await completedRun();
    const noise = new Float32Array(randomBytes(80_000).buffer); // incompressible bits
    const unrelated = encodeSafetensors(new Map([['other', { dtype: 'F32' as const, shape: [noise.length], values: noise }]]));
    const { valid } = await scanCheckpoints(paths.checkpoints);
    const manifest = valid.find((c) => c.epoch === 2)!.manifest;
    await writeFile(join(kept, 'model.safetensors'), unrelated);
    await writeFile(join(kept, 'manifest.json'), JSON.stringify({ ...manifest, files: { ...manifest.files, 'model.safetensors': { sha256: sha256(unrelated), bytes: unrelated.byteLength } } }));
    expect((await compactAndPackCompletedRun(paths, 2)).pack).toMatchObject({ packed: false });
    expect(JSON.parse(await readFile(join(kept, 'manifest.json'), 'utf8')).not_packed).toMatch(/^packing saves -?\d+\.\d%, under 10%$/);
    expect((await readdir(kept)).sort()).toEqual(['manifest.json', 'model.safetensors', 'state.json']);
  });
});
