/**
 * `npm run bench -- tpe`: model-based search (tpe) against random search with
 * the same budget: 20 runs each of ResNet18 from scratch at 32 px, 4 epochs,
 * SGD over learning rate, momentum, weight decay and dropout, three search
 * seeds. The figures are validation accuracies, not times: the mean over the
 * seeds of the best validation accuracy after 5, 10, 15 and 20 runs, and
 * per seed after 20. docs/performance.md reports and discusses them.
 *
 * Both methods of a seed sit in one spec: tpe's startup runs are exactly the
 * first random draws of the same seed, so those runs are trained once and
 * count for both (34 runs per seed, 102 in all). Data: a 300 + 50 image
 * Fashion-MNIST sample exported from Debian's dataset-fashion-mnist by
 * tools/export-fmnist-sample.py into .cache/fmnist-tpe-300 (30% of train held
 * out for validation: 210 + 90); without the
 * archives the committed data/fmnist-mini stands in and the note says so.
 * SWEEPSPEC_BENCH_TPE_RESULTS names a results folder to keep (a rerun then
 * resumes instead of starting over); default a temporary one.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileFile } from '../bin/load-plan.js';
import { readEpochMetrics } from '../runtime/results/metrics-log.js';
import { readRunRecord } from '../runtime/results/record-file.js';
import { runPaths, specPaths } from '../runtime/results/run-paths.js';
import { withProposals } from '../runtime/search/with-proposals.js';
import type { BenchRow } from './types.js';
import { execute } from './execute.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FMNIST_ARCHIVES = '/usr/share/datasets/fashion-mnist';
const SEEDS = [1, 2, 3];
const BUDGET = 20;
const STARTUP = 6;
const CHECKPOINTS = [5, 10, 15, 20];
const GROUP = 'tpe';

export async function bench(): Promise<BenchRow[]> {
  const sample = await prepareSample();
  const kept = process.env.SWEEPSPEC_BENCH_TPE_RESULTS;
  const work = kept ? path.resolve(kept) : await mkdtemp(path.join(os.tmpdir(), 'sweepspec-bench-tpe-'));
  try {
    const results = path.join(work, 'results');
    const curves: Record<string, number[]> = {};
    // One spec per seed, one after the other: each seed's comparison is complete before the next starts.
    for (const seed of SEEDS) {
      const spec = path.join(work, `tpe-vs-random-s${seed}.yaml`);
      await writeFile(spec, specText(sample.root, seed));
      const run = await execute(process.execPath, [path.join(ROOT, 'bin/sweepspec.js'), 'run', spec, '--results', results, '--quiet']);
      if (run.code !== 0) throw new Error(`sweepspec run ${spec} exited ${run.code}:\n${run.output.slice(-2000)}`);
      for (const [name, curve] of Object.entries(await readCurves(spec, results))) curves[`${name}-s${seed}`] = curve;
      await writeFile(path.join(work, 'curves.json'), `${JSON.stringify(curves, null, 2)}\n`);
    }
    const rows: BenchRow[] = [];
    for (const method of ['tpe', 'random'] as const) {
      for (const n of CHECKPOINTS) {
        const values = SEEDS.map((seed) => curves[`${method}-s${seed}`][n - 1]);
        rows.push({
          group: GROUP,
          name: `${method}: best val accuracy after ${n} runs`,
          value: values.reduce((a, b) => a + b, 0) / values.length,
          unit: 'acc',
          note: `mean of seeds ${SEEDS.join(', ')}: ${values.map((v) => v.toFixed(3)).join(', ')}${n === BUDGET ? `; ${sample.note}` : ''}`,
        });
      }
    }
    return rows;
  } finally {
    if (!kept) await rm(work, { recursive: true, force: true });
  }
}

function specText(root: string, seed: number): string {
  const axes = `      optimizer.lr: { loguniform: [1.0e-4, 0.3] }
      optimizer.momentum: { uniform: [0.0, 0.99] }
      optimizer.weight_decay: { loguniform: [1.0e-6, 1.0e-2] }
      model.dropout: { uniform: [0.0, 0.6] }`;
  return `version: 1
name: bench-tpe-s${seed}
data: { root: ${JSON.stringify(root)}, image_size: 32, batch_size: 32, validation: { fraction: 0.3 } }
defaults:
  model: { arch: resnet18, pretrained: none }
  optimizer: { type: sgd }
  epochs: 4
  select: val_accuracy
experiments:
  tpe:
    search: { method: tpe, samples: ${BUDGET}, startup: ${STARTUP}, seed: ${seed} }
    matrix:
${axes}
  random:
    search: { method: random, samples: ${BUDGET}, seed: ${seed} }
    matrix:
${axes}
`;
}

/** Best-so-far validation accuracy (at each run's kept epoch) by run count, per experiment, runs in the order they were drawn or proposed. */
async function readCurves(spec: string, resultsDir: string): Promise<Record<string, number[]>> {
  const compiled = compileFile(spec, { dataCheck: 'off' }).plan!;
  const { plan } = await withProposals(compiled, path.join(resultsDir, compiled.name));
  const store = specPaths(resultsDir, plan.name);
  const curves: Record<string, number[]> = {};
  for (const experiment of plan.experiments) {
    let best = 0;
    const curve: number[] = [];
    for (const id of experiment.runs) {
      const paths = runPaths(store, id);
      const [record, metrics] = await Promise.all([readRunRecord(paths.record), readEpochMetrics(paths.metrics)]);
      const kept = metrics.find((m) => m.epoch === record?.best_epoch);
      if (record?.status === 'completed' && kept) best = Math.max(best, kept.val_accuracy);
      curve.push(best);
    }
    curves[experiment.name] = curve;
  }
  return curves;
}

async function prepareSample(): Promise<{ root: string; note: string }> {
  const root = path.join(ROOT, '.cache/fmnist-tpe-300');
  if (existsSync(path.join(FMNIST_ARCHIVES, 'train-images-idx3-ubyte.gz'))) {
    const exporter = path.join(ROOT, 'tools/export-fmnist-sample.py');
    const result = await execute('python3', [exporter, root, '--train-per-class', '30', '--test-per-class', '5']);
    if (result.code === 0) return { root, note: 'Fashion-MNIST sample: 300 train (210 + 90 validation), 50 test' };
  }
  return { root: path.join(ROOT, 'data/fmnist-mini'), note: 'data/fmnist-mini (Debian Fashion-MNIST archives absent)' };
}
