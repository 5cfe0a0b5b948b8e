import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
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
import { readWeightsFile } from '../../../runtime/weights/read-weights.js';
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

const keptDir = async (index: number) => join(runDir(index).checkpoints, `epoch-000${(await readRunRecord(runDir(index).record))!.best_epoch}`);

describe('a completed run', () => {
  it('keeps the kept epoch alone, without optimizer state, packed against the initial weights stored once for both runs', async () => {
    for (const index of [0, 1]) {
      const paths = runDir(index);
      const record = await readRunRecord(paths.record);
      expect(record?.status).toBe('completed');
      expect(await readdir(paths.checkpoints)).toEqual([`epoch-000${record!.best_epoch}`]);
    }
    // The frozen backbone's run keeps its head (too small to gain from packing); the trained one its packed weights.
    expect((await readdir(await keptDir(0))).sort()).toEqual(['manifest.json', 'model.safetensors', 'state.json']);
    const frozenModel = decodeSafetensors(await readFile(join(await keptDir(0), 'model.safetensors')));
    expect([...frozenModel.tensors.keys()].sort()).toEqual(['fc.bias', 'fc.weight']);
    expect((await readdir(await keptDir(1))).sort()).toEqual(['manifest.json', 'model.safetensors.packed', 'state.json']);
    const packed = (await stat(join(await keptDir(1), 'model.safetensors.packed'))).size;
    expect(packed).toBeLessThan(0.9 * 44_768_000); // resnet18 with 3 classes is 44.77 MB unpacked
    // Both runs start from seed 0's initialisation: one stored file serves as the frozen backbone and the packing base.
    const stored = await readdir(join(results, 'storage', 'frozen'));
    expect(stored).toHaveLength(1);
    const log = await readFile(runDir(1).log, 'utf8');
    expect(log).toMatch(/kept weights packed: 43M -> \d+(\.\d)?M \(lossless, against the initial weights\)/);
  }, 300_000); // CLI processes, each loading TensorFlow.js; minutes when the machine is busy

  it('exports, frozen backbone or not, a safetensors file with every torchvision tensor and shape and the kept values', async () => {
    await tf.setBackend('cpu');
    const network = buildNetwork({ arch: 'resnet18', numClasses: 3, trainableLayers: 'all', dropout: 0, seed: 0 });
    const expected = [...networkStateDict(network)].map(([name, t]) => [name, t.shape]);
    network.dispose();
    for (const index of [0, 1]) {
      const out = join(dir, `run-${index}.safetensors`);
      const exported = await sweepspec('export', 'weights', runDir(index).dir, '--out', out);
      expect(exported.code, exported.stderr).toBe(0);
      const file = decodeSafetensors(await readFile(out));
      expect([...file.tensors].map(([name, e]) => [name, e.shape])).toEqual(expected); // torchvision order too
      expect(file.tensors.get('bn1.num_batches_tracked')?.dtype).toBe('I64');
      expect(file.metadata).toMatchObject({ format: 'pt', arch: 'resnet18', num_classes: '3' });
      // The export holds the kept weights bit for bit (packed or not; packing itself is checked by its round trip).
      const kept = (await readWeightsFile(join(await keptDir(index), index === 0 ? 'model.safetensors' : 'model.safetensors.packed'))).tensors;
      for (const [name, entry] of kept) expect(Buffer.from(file.tensors.get(name)!.values.buffer).equals(Buffer.from(entry.values.buffer)), name).toBe(true);
    }
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
    expect(status.stdout).toMatch(/^disk: \S+ in .*storage \(runs \S+, initial weights \S+, cache \S+\)$/m);
    expect(status.stdout).toMatch(/prune .* frees 0B/);

    const tune = join(dir, 'tune.yaml');
    await writeFile(tune, (await readFile(spec, 'utf8')).replace('name: storage', 'name: tune').replace('pretrained: none', `pretrained: ${runDir(0).dir}`)
      .replace(/experiments:[\s\S]*$/, 'experiments:\n  tune:\n    matrix:\n      epochs: [1]\n'));
    const tuned = await sweepspec('run', tune, '--results', results, '--quiet');
    expect(tuned.code, tuned.stderr).toBe(0);
    const { plan: tunePlan } = await loadPlan(tune, { checkData: false });
    const log = await readFile(runPaths(specPaths(results, 'tune'), tunePlan.runs[0].id).log, 'utf8');
    const kept = join(await keptDir(0), 'model.safetensors');
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
