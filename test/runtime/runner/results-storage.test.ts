import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlan } from '../../../bin/load-plan.js';
import type { RunPlan } from '../../../compiler/types/plan.js';
import * as tf from '../../../runtime/backend/tf.js';
import { buildNetwork } from '../../../runtime/models/build-network.js';
import { readEpochMetrics } from '../../../runtime/results/metrics-log.js';
import { readRunRecord } from '../../../runtime/results/record-file.js';
import type { ImagePrediction } from '../../../runtime/results/records.js';
import { runPaths, specPaths } from '../../../runtime/results/run-paths.js';
import { decodeSafetensors } from '../../../runtime/weights/safetensors.js';
import { networkStateDict } from '../../../runtime/weights/save-weights.js';
import { writeImageStudy } from './fixtures/image-study.js';

/**
 * What a completed run keeps, through the CLI with real ResNet18s: a frozen
 * backbone (trainable_layers: 0) and a fully trained one, 32 px, 2 epochs of
 * 18 images. About a minute on two idle cores (two under load): seven CLI
 * processes, each paying the TensorFlow.js start-up.
 */
const exec = promisify(execFile);
const BIN = join(import.meta.dirname, '..', '..', '..', 'bin', 'sweepspec.js');
let dir: string;
let spec: string;
let plan: RunPlan;
let results: string;

async function sweepspec(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [BIN, ...args], { maxBuffer: 1 << 24 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'storage-'));
  await writeImageStudy(dir, { epochs: 2, lrs: [0.05] });
  spec = join(dir, 'storage.yaml');
  await writeFile(spec, (await readFile(join(dir, 'study.yaml'), 'utf8')).replace('name: images', 'name: storage').replace(
    /experiments:[\s\S]*$/,
    'experiments:\n  freezing:\n    matrix:\n      model.trainable_layers: [0, all]\n',
  ));
  ({ plan } = await loadPlan(spec, { checkData: false }));
  results = join(dir, 'results');
  const run = await sweepspec('run', spec, '--results', results, '--quiet');
  expect(run.code, run.stderr).toBe(0);
}, 600_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const runDir = (index: number) => runPaths(specPaths(results, 'storage'), plan.runs[index].id);

describe('a completed run', () => {
  it('keeps the kept epoch alone, without optimizer state; a frozen backbone once, in the study store', async () => {
    for (const index of [0, 1]) {
      const paths = runDir(index);
      const record = await readRunRecord(paths.record);
      expect(record?.status).toBe('completed');
      const kept = `epoch-000${record!.best_epoch}`;
      expect(await readdir(paths.checkpoints)).toEqual([kept]);
      expect((await readdir(join(paths.checkpoints, kept))).sort()).toEqual(['manifest.json', 'model.safetensors', 'state.json']);
    }
    const frozenModel = decodeSafetensors(await readFile(join(runDir(0).checkpoints, `epoch-000${(await readRunRecord(runDir(0).record))!.best_epoch}`, 'model.safetensors')));
    expect([...frozenModel.tensors.keys()].sort()).toEqual(['fc.bias', 'fc.weight']);
    expect(await readdir(join(results, 'storage', 'frozen'))).toHaveLength(1);
  }, 300_000); // CLI processes, each loading TensorFlow.js; minutes when the machine is busy

  it("has every torchvision tensor with its shape: the stored file of a trained run, the export of a frozen one", async () => {
    await tf.setBackend('cpu');
    const network = buildNetwork({ arch: 'resnet18', numClasses: 3, trainableLayers: 'all', dropout: 0, seed: 0 });
    const expected = [...networkStateDict(network)].map(([name, t]) => [name, t.shape]);
    network.dispose();
    const full = runDir(1);
    const stored = decodeSafetensors(await readFile(join(full.checkpoints, `epoch-000${(await readRunRecord(full.record))!.best_epoch}`, 'model.safetensors')));
    expect([...stored.tensors].map(([name, e]) => [name, e.shape]).sort()).toEqual([...expected].sort());
    const out = join(dir, 'frozen-run.safetensors');
    const exported = await sweepspec('export', 'weights', runDir(0).dir, '--out', out);
    expect(exported.code, exported.stderr).toBe(0);
    const file = decodeSafetensors(await readFile(out));
    expect([...file.tensors].map(([name, e]) => [name, e.shape])).toEqual(expected); // torchvision order too
    expect(file.tensors.get('bn1.num_batches_tracked')?.dtype).toBe('I64');
    expect(file.metadata).toMatchObject({ format: 'pt', arch: 'resnet18', num_classes: '3' });
  }, 300_000); // CLI processes, each loading TensorFlow.js; minutes when the machine is busy

  it('predicts from its folder what its evaluation recorded, frozen backbone or not', async () => {
    const image = join(dir, 'data', 'test', 'square', '0.png');
    for (const index of [0, 1]) {
      const paths = runDir(index);
      const predicted = await sweepspec('predict', paths.dir, image, '--json');
      expect(predicted.code, predicted.stderr).toBe(0);
      const result = JSON.parse(predicted.stdout.trim()) as { top: { name: string; probability: number }[] };
      const lines = (await readFile(paths.predictions, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as ImagePrediction);
      const stored = lines.find((p) => p.file === 'test/square/0.png')!;
      const classes = (await readRunRecord(paths.record))!.classes!;
      expect(result.top[0].name).toBe(classes[stored.predicted_class]);
      expect(result.top[0].probability).toBeCloseTo(stored.probabilities[stored.predicted_class], 4);
    }
  }, 300_000); // CLI processes, each loading TensorFlow.js; minutes when the machine is busy

  it('reports, shows its disk use, fine-tunes as `pretrained: <run folder>`, and retrains under --rerun', async () => {
    const report = await sweepspec('report', spec, '--results', results, '--format', 'md', '--out', join(dir, 'report.md'));
    expect(report.code, report.stderr).toBe(0);
    const status = await sweepspec('status', spec, '--results', results);
    expect(status.stdout).toMatch(/^disk: \S+ in .*storage \(runs \S+, frozen weights \S+, cache \S+\)$/m);
    expect(status.stdout).toMatch(/prune .* frees 0B/);

    const tune = join(dir, 'tune.yaml');
    await writeFile(tune, (await readFile(spec, 'utf8')).replace('name: storage', 'name: tune').replace('pretrained: none', `pretrained: ${runDir(0).dir}`)
      .replace(/experiments:[\s\S]*$/, 'experiments:\n  tune:\n    matrix:\n      epochs: [1]\n'));
    const tuned = await sweepspec('run', tune, '--results', results, '--quiet');
    expect(tuned.code, tuned.stderr).toBe(0);
    const { plan: tunePlan } = await loadPlan(tune, { checkData: false });
    const log = await readFile(runPaths(specPaths(results, 'tune'), tunePlan.runs[0].id).log, 'utf8');
    const kept = join(runDir(0).checkpoints, `epoch-000${(await readRunRecord(runDir(0).record))!.best_epoch}`, 'model.safetensors');
    expect(log).toContain(`loaded 102 tensors from ${kept}`); // resnet18's 62 parameters and 40 BatchNorm buffers

    const rerun = await sweepspec('run', spec, '--results', results, '--rerun', 'all', '--only', plan.runs[0].id, '--quiet');
    expect(rerun.code, rerun.stderr).toBe(0);
    const record = await readRunRecord(runDir(0).record);
    expect(record).toMatchObject({ status: 'completed', epochs_completed: 2 });
    expect((await readEpochMetrics(runDir(0).metrics)).map((m) => m.epoch)).toEqual([1, 2]);
    expect(await readdir(runDir(0).checkpoints)).toEqual([`epoch-000${record!.best_epoch}`]);
    expect(await readdir(join(results, 'storage', 'frozen'))).toHaveLength(1); // the same seed: the same frozen file
  }, 300_000); // CLI processes, each loading TensorFlow.js; minutes when the machine is busy
});
