import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlan } from '../../../bin/load-plan.js';
import type { RunPlan } from '../../../compiler/types/plan.js';
import { readEpochMetrics } from '../../../runtime/results/metrics-log.js';
import { readRunRecord } from '../../../runtime/results/record-file.js';
import { runPaths, specPaths } from '../../../runtime/results/run-paths.js';
import type { RunExecutor } from '../../../runtime/runner/executor.js';
import { runSweep } from '../../../runtime/runner/run-sweep.js';
import type { SweepEvent } from '../../../runtime/runner/sweep-events.js';
import { formatStatus, readSweepStatus } from '../../../runtime/runner/sweep-status.js';
import { createWorkerPool } from '../../../runtime/runner/worker-pool.js';
import { decideAtRung } from '../../../runtime/search/asha.js';
import { buildReportModel } from '../../../runtime/report/build-report-model.js';
import { learningCurveChart } from '../../../runtime/report/charts/learning-curve-chart.js';
import { readResults } from '../../../runtime/report/read-results.js';
import { renderMarkdown } from '../../../runtime/report/render-markdown.js';
import { createTinyTrainExecutor } from './fixtures/tiny-executor.js';

/**
 * ASHA end to end with the real training executor on a slice of the embedded
 * data/fmnist-mini (12 train and 3 test images per class; the tests' tiny
 * conv net in place of ResNet, 32 px, 3 epochs, 6 random-search runs, rung at
 * epoch 1; the wasm backend). Cost: about 10 s of CPU (three sweeps in process, one
 * with two worker processes).
 */
const MINI = resolve('data/fmnist-mini');

/** The first `perClass` images (by name) of each class of a split of data/fmnist-mini. */
async function slice(to: string, split: string, perClass: number): Promise<void> {
  for (const name of await readdir(join(MINI, split))) {
    await mkdir(join(to, split, name), { recursive: true });
    const files = (await readdir(join(MINI, split, name))).sort().slice(0, perClass);
    for (const file of files) await copyFile(join(MINI, split, name, file), join(to, split, name, file));
  }
}
let dir: string;
let plan: RunPlan;
let specDir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'asha-'));
  await slice(join(dir, 'data'), 'train', 12);
  await slice(join(dir, 'data'), 'test', 3);
  const spec = join(dir, 'asha.yaml');
  await writeFile(spec, [
    'version: 1',
    'name: asha',
    'data:',
    '  root: data',
    '  image_size: 32',
    '  batch_size: 30',
    '  eval_batch_size: 30',
    '  validation: { fraction: 0.25, stratify: true }',
    'defaults:',
    '  model: { arch: resnet18, pretrained: none }',
    '  optimizer: { type: sgd, momentum: 0.9 }',
    '  epochs: 3',
    'experiments:',
    '  search:',
    '    search: { method: random, samples: 6, seed: 5 }',
    '    matrix: { optimizer.lr: { loguniform: [1.0e-4, 0.3] } }',
    '    early_termination: { type: asha, metric: val_loss, min_epochs: 1, reduction_factor: 3 }',
    '',
  ].join('\n'));
  ({ plan, specDir } = await loadPlan(spec, { checkData: true }));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sweep = (resultsDir: string, options: { rerun?: 'stopped'; jobs?: number; executor?: RunExecutor; onEvent?: (e: SweepEvent) => void } = {}) =>
  runSweep({
    plan, specDir, resultsDir, selection: { rerun: options.rerun }, jobs: options.jobs ?? 1, backend: 'wasm', // ten times cheaper than cpu here
    executor: options.executor ?? createTinyTrainExecutor(), signal: new AbortController().signal, onEvent: options.onEvent,
  });
const paths = (results: string, id: string) => runPaths(specPaths(results, 'asha'), id);
const epochsOf = async (results: string, id: string) => (await readEpochMetrics(paths(results, id).metrics)).map((m) => m.epoch);

describe('early termination (ASHA) with the training executor', () => {
  it('stops weak runs at the first rung, completes the others, and a second invocation trains nothing', { timeout: 120_000 }, async () => {
    const results = join(dir, 'results');
    const summary = await sweep(results);
    const statuses = plan.runs.map((run) => summary.statuses[run.id]);
    expect(statuses.filter((s) => s === 'stopped').length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s === 'completed').length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 'stopped' || s === 'completed')).toBe(true);

    // With --jobs 1 runs train in plan order, so each decision at epoch 1 ranks the run against the runs before it.
    const atRung: number[] = [];
    for (const run of plan.runs) {
      const record = (await readRunRecord(paths(results, run.id).record))!;
      const history = await readEpochMetrics(paths(results, run.id).metrics);
      const expected = decideAtRung(plan.experiments[0].early_termination!, 1, history[0].val_loss, atRung);
      expect(record.early_termination).toEqual({ ...expected, experiment: 'search' });
      atRung.push(history[0].val_loss);
      if (record.status === 'stopped') {
        expect(record).toMatchObject({ epochs_completed: 1, early_termination: { action: 'stop', rung: 1 } });
        expect(history.map((m) => m.epoch)).toEqual([1]);
        expect(await readdir(paths(results, run.id).checkpoints)).toEqual(['epoch-0001']); // kept to continue from
      } else {
        expect(record).toMatchObject({ epochs_completed: 3, early_termination: { action: 'continue', rung: 1 } });
        expect(history.map((m) => m.epoch)).toEqual([1, 2, 3]);
      }
    }
    expect(summary.ran.stopped + summary.ran.completed).toBe(6);

    const status = formatStatus(await readSweepStatus(plan, results));
    expect(status).toMatch(/1\/3 {2}stopped at epoch 1: val_loss [0-9.]+ > cutoff [0-9.]+ of \d runs?/);
    expect(status).toContain(`6 runs: ${summary.ran.completed} completed, ${summary.ran.stopped} stopped,`);

    // The report: stopped runs marked with their epoch and ranked after the completed ones, the epochs against a full sweep, rungs on the curves.
    const model = buildReportModel(await readResults({ dir: join(results, 'asha') }));
    const section = model.experiments[0];
    const trained = plan.runs.reduce((sum, run) => sum + (summary.statuses[run.id] === 'stopped' ? 1 : 3), 0);
    expect(section.early_termination).toMatchObject({ rungs: [1], stopped_runs: summary.ran.stopped, epochs_trained: trained, epochs_full: 18 });
    expect(section.early_termination!.text).toContain(`trained ${trained} of 18 epochs, ${Math.round((100 * trained) / 18)}%`);
    const best = section.rows.find((row) => row.is_best)!;
    expect(summary.statuses[best.id]).toBe('completed');
    expect(section.rows.map((row) => row.stopped_at ?? null)).toEqual(section.rows.map((row) => (summary.statuses[row.id] === 'stopped' ? 1 : null)));
    expect(section.rows.findIndex((row) => row.stopped_at !== undefined)).toBe(summary.ran.completed); // completed first
    const chart = JSON.stringify(learningCurveChart(section));
    expect(chart).toContain('"rule"');
    expect(chart).toContain('{"rung":1}');
    const markdown = renderMarkdown(model, { assetDir: 'assets' }).markdown;
    expect(markdown).toContain('| stopped at epoch 1 |');
    expect(markdown).toContain(`${summary.ran.stopped} of 6 runs stopped early; trained ${trained} of 18 epochs`);

    const events: SweepEvent[] = [];
    const again = await sweep(results, { onEvent: (e) => events.push(e) });
    expect(again.ran).toEqual({ completed: 0, failed: 0, interrupted: 0, stopped: 0 });
    expect(events.filter((e) => e.type === 'run-skip').map((e) => (e as { reason: string }).reason).sort()).toEqual(
      statuses.map((s) => s as string).sort(),
    );

    // --rerun stopped continues each stopped run from its rung checkpoint: epoch 1 is not trained again.
    const stopped = plan.runs.filter((run) => summary.statuses[run.id] === 'stopped');
    const firstEpochs = await Promise.all(stopped.map(async (run) => (await readFile(paths(results, run.id).metrics, 'utf8')).split('\n')[0]));
    const continued = await sweep(results, { rerun: 'stopped' });
    expect(continued.ran).toEqual({ completed: stopped.length, failed: 0, interrupted: 0, stopped: 0 });
    for (const [i, run] of stopped.entries()) {
      expect(await epochsOf(results, run.id)).toEqual([1, 2, 3]);
      expect((await readFile(paths(results, run.id).metrics, 'utf8')).split('\n')[0]).toBe(firstEpochs[i]); // same line, timings included
      expect(await readRunRecord(paths(results, run.id).record)).toMatchObject({ status: 'completed', epochs_completed: 3 });
      expect(await readFile(paths(results, run.id).log, 'utf8')).toMatch(/resume run[^\n]*\n(.*\n)*.*resuming after epoch 1/);
    }
  });

  it('with --jobs 2 shares one ASHA state and no run is both stopped and completed', { timeout: 120_000 }, async () => {
    const results = join(dir, 'results-jobs');
    const pool = createWorkerPool({ size: 2, executor: { module: join(import.meta.dirname, 'fixtures', 'tiny-executor.ts'), factory: 'createTinyTrainExecutor' } });
    try {
      const summary = await sweep(results, { jobs: 2, executor: pool.executor });
      expect(summary.ran.stopped + summary.ran.completed).toBe(6);
      expect(summary.ran.stopped).toBeGreaterThan(0);
      for (const run of plan.runs) {
        const record = (await readRunRecord(paths(results, run.id).record))!;
        const log = await readFile(paths(results, run.id).log, 'utf8');
        expect(log.match(/ (start|resume) run /g)).toHaveLength(1); // trained once, by one worker
        expect(log.match(/^\S+ (completed|stopped)$/gm)).toEqual([`${log.match(/^\S+ (completed|stopped)$/m)![0]}`]);
        const epochs = await epochsOf(results, run.id);
        if (record.status === 'stopped') {
          expect(epochs).toEqual([1]);
          expect(await readdir(paths(results, run.id).dir)).not.toContain('evaluation.json');
          expect(log).not.toMatch(/ completed$/m);
        } else {
          expect(record.status).toBe('completed');
          expect(epochs).toEqual([1, 2, 3]);
          expect(log).not.toMatch(/ stopped$/m);
        }
        // Each decision counted only runs whose epoch 1 was recorded before it: at most the 5 others.
        expect(record.early_termination!.count).toBeLessThanOrEqual(5);
      }
    } finally {
      pool.close();
    }
  });
});
