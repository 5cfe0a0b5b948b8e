import { spawn } from 'node:child_process';
import { copyFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlan } from '../../../bin/load-plan.js';
import type { RunPlan } from '../../../compiler/types/plan.js';
import { readEpochMetrics } from '../../../runtime/results/metrics-log.js';
import { readJsonFile, readRunRecord } from '../../../runtime/results/record-file.js';
import type { EpochMetrics, TestEvaluation } from '../../../runtime/results/records.js';
import { runPaths, specPaths } from '../../../runtime/results/run-paths.js';
import { Random } from '../../../runtime/random.js';
import { runSweep } from '../../../runtime/runner/run-sweep.js';
import { writeImageStudy } from './fixtures/image-study.js';
import { readWeightsFile } from '../../../runtime/weights/read-weights.js';
import { decodeSafetensors } from '../../../runtime/weights/safetensors.js';
import { createTinyTrainExecutor } from './fixtures/tiny-executor.js';

let dir: string;
let plan: RunPlan;
let specDir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'train-exec-'));
  const spec = await writeImageStudy(dir, { epochs: 3, lrs: [0.05, 1.0e6] });
  ({ plan, specDir } = await loadPlan(spec, { checkData: true }));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const timeless = (metrics: EpochMetrics[]) => metrics.map(({ seconds, images_per_second, ...rest }) => rest);
const sweep = (resultsDir: string, signal = new AbortController().signal, onEvent?: Parameters<typeof runSweep>[0]['onEvent']) =>
  runSweep({ plan, specDir, resultsDir, selection: {}, jobs: 1, backend: 'cpu', executor: createTinyTrainExecutor(), signal, onEvent });

describe('the training executor, end to end on generated images', () => {
  it('trains, checkpoints and evaluates a run, and fails a NaN run cleanly while the other completes', async () => {
    const results = join(dir, 'results-a');
    const summary = await sweep(results);
    const [good, nan] = plan.runs;
    expect(summary.statuses).toEqual({ [good.id]: 'completed', [nan.id]: 'failed' });
    const paths = runPaths(specPaths(results, 'images'), good.id);
    const record = await readRunRecord(paths.record);
    expect(record).toMatchObject({
      status: 'completed', epochs_completed: 3, classes: ['circle', 'square', 'triangle'],
      backend: { name: 'cpu' }, dataset: { root: join(dir, 'data'), counts: { train: 18, validation: 6, test: 9 }, skipped_images: 0 },
    });
    expect(record?.parameters?.total).toBe(3 * 3 * 3 * 8 + 8 + 8 + 8 * 3 + 3);
    expect(record?.versions?.tfjs).toMatch(/^4\.22/);
    expect((await readEpochMetrics(paths.metrics)).map((m) => m.epoch)).toEqual([1, 2, 3]);
    const evaluation = await readJsonFile<TestEvaluation>(paths.evaluation);
    expect(evaluation).toMatchObject({ split: 'test', epoch: record?.best_epoch });
    expect(evaluation?.confusion.flat().reduce((a, b) => a + b, 0)).toBe(9);
    expect((await readFile(paths.predictions, 'utf8')).trim().split('\n')).toHaveLength(9);
    // Completed: only the kept epoch's weights stay, without the optimizer state a resume needed.
    const kept = `epoch-000${record!.best_epoch!}`;
    expect(await readdir(paths.checkpoints)).toEqual([kept]);
    expect((await readdir(join(paths.checkpoints, kept))).sort()).toEqual(['manifest.json', 'model.safetensors', 'state.json']);
    expect(await readJsonFile(join(paths.checkpoints, kept, 'manifest.json'))).toMatchObject({ stripped: true });
    const failed = await readRunRecord(runPaths(specPaths(results, 'images'), nan.id).record);
    expect(failed?.status).toBe('failed');
    expect(failed?.failure?.code).toBe('NON_FINITE_LOSS');
  });

  it('resumes an interrupted run to the metrics and evaluation of an uninterrupted one', async () => {
    const reference = join(dir, 'results-a');
    const results = join(dir, 'results-b');
    const controller = new AbortController();
    const first = await sweep(results, controller.signal, (event) => {
      if (event.type === 'run-event' && event.event.type === 'epoch-end' && event.event.metrics.epoch === 2) controller.abort();
    });
    expect(first.interrupted).toBe(true);
    const id = plan.runs[0].id;
    const paths = runPaths(specPaths(results, 'images'), id);
    expect(await readRunRecord(paths.record)).toMatchObject({ status: 'interrupted', epochs_completed: 2 });
    await sweep(results);
    const referencePaths = runPaths(specPaths(reference, 'images'), id);
    expect((await readRunRecord(paths.record))?.failure).toBeUndefined();
    expect(await readRunRecord(paths.record)).toMatchObject({ status: 'completed', epochs_completed: 3 });
    expect(timeless(await readEpochMetrics(paths.metrics))).toEqual(timeless(await readEpochMetrics(referencePaths.metrics)));
    expect(await readJsonFile(paths.evaluation)).toEqual(await readJsonFile(referencePaths.evaluation));
    expect(await readFile(paths.log, 'utf8')).toMatch(/resume run/);
  });
});

describe('a dataset that changes under an interrupted run', () => {
  it('is refused with DATASET_CHANGED, and --rerun failed retrains the run on the new data', async () => {
    const studyDir = await mkdtemp(join(tmpdir(), 'changed-'));
    try {
      const { plan: changed, specDir: changedDir } = await loadPlan(await writeImageStudy(studyDir, { epochs: 2, lrs: [0.05] }), { checkData: true });
      const results = join(studyDir, 'results');
      const controller = new AbortController();
      const run = (signal: AbortSignal, rerun?: 'failed') =>
        runSweep({ plan: changed, specDir: changedDir, resultsDir: results, selection: { rerun }, jobs: 1, backend: 'cpu', executor: createTinyTrainExecutor(), signal,
          onEvent: (event) => event.type === 'run-event' && event.event.type === 'epoch-end' && controller.abort() });
      await run(controller.signal);
      await copyFile(join(studyDir, 'data', 'train', 'square', '0.png'), join(studyDir, 'data', 'train', 'circle', '0.png'));
      const refused = await run(new AbortController().signal);
      const paths = runPaths(specPaths(results, 'images'), changed.runs[0].id);
      const record = await readRunRecord(paths.record);
      expect(refused.statuses[changed.runs[0].id]).toBe('failed');
      expect(record?.failure?.code).toBe('DATASET_CHANGED');
      expect(record?.failure?.message).toMatch(/^the dataset under .* is not the one this run started on \(fingerprint [0-9a-f]{12} at .*, now [0-9a-f]{12}\); restore it, or retrain the run on the new data with --rerun failed$/);
      const retried = await run(new AbortController().signal, 'failed');
      expect(retried.statuses[changed.runs[0].id]).toBe('completed');
    } finally {
      await rm(studyDir, { recursive: true, force: true });
    }
  }, 120_000);
});

/** Runs fixtures/train-child.ts; SIGKILLs it `killAfterMs` after its first epoch begins (null: never). */
function trainChild(args: string[], killAfterMs: number | null): Promise<number | string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'fixtures', 'train-child.ts'), ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout.on('data', (chunk: Buffer) => {
      if (killAfterMs !== null && chunk.toString().includes('training')) setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(signal ?? code ?? -1));
  });
}

describe('the training executor across SIGKILL', () => {
  it('resumes a run killed at random points of its epochs to the metrics of an uninterrupted run', async () => {
    const results = join(dir, 'results-k');
    const id = plan.runs[0].id;
    const paths = runPaths(specPaths(results, 'images'), id);
    const random = new Random(7);
    const outcomes: (number | string)[] = [];
    // Each process pays the TensorFlow.js import: two kills here; the fake-executor test kills twelve times.
    for (let attempt = 0; attempt < 2; attempt++) {
      outcomes.push(await trainChild([join(dir, 'study.yaml'), results, id], Math.floor(random.uniform(0, 600))));
      if ((await readRunRecord(paths.record))?.status === 'completed') break;
    }
    expect(outcomes.filter((o) => o === 'SIGKILL').length).toBeGreaterThanOrEqual(1);
    if ((await readRunRecord(paths.record))?.status !== 'completed') expect(await trainChild([join(dir, 'study.yaml'), results, id], null)).toBe(0);
    const referencePaths = runPaths(specPaths(join(dir, 'results-a'), 'images'), id);
    expect(await readRunRecord(paths.record)).toMatchObject({ status: 'completed', epochs_completed: 3 });
    expect(timeless(await readEpochMetrics(paths.metrics))).toEqual(timeless(await readEpochMetrics(referencePaths.metrics)));
    expect(await readJsonFile(paths.evaluation)).toEqual(await readJsonFile(referencePaths.evaluation));
  }, 240_000);

  it('resumes a run with a frozen backbone the same way, its frozen tensors stored once outside the checkpoints', async () => {
    // About 15 s: one in-process reference run and two or three child processes (each pays the TensorFlow.js import).
    const study = await mkdtemp(join(tmpdir(), 'frozen-kill-'));
    try {
      const spec = await writeImageStudy(study, { epochs: 3, lrs: [0.05], trainableLayers: 0 });
      const { plan: frozenPlan, specDir: frozenDir } = await loadPlan(spec, { checkData: true });
      const run = frozenPlan.runs[0];
      const reference = join(study, 'reference');
      await runSweep({ plan: frozenPlan, specDir: frozenDir, resultsDir: reference, selection: {}, jobs: 1, backend: 'cpu', executor: createTinyTrainExecutor(), signal: new AbortController().signal });
      const results = join(study, 'killed');
      const paths = runPaths(specPaths(results, 'images'), run.id);
      const random = new Random(8);
      let kills = 0;
      for (let attempt = 0; attempt < 2; attempt++) {
        if ((await trainChild([spec, results, run.id], Math.floor(random.uniform(0, 600)))) === 'SIGKILL') kills++;
        if ((await readRunRecord(paths.record))?.status === 'completed') break;
      }
      expect(kills).toBeGreaterThanOrEqual(1);
      if ((await readRunRecord(paths.record))?.status !== 'completed') expect(await trainChild([spec, results, run.id], null)).toBe(0);
      const referencePaths = runPaths(specPaths(reference, 'images'), run.id);
      expect(timeless(await readEpochMetrics(paths.metrics))).toEqual(timeless(await readEpochMetrics(referencePaths.metrics)));
      expect(await readJsonFile(paths.evaluation)).toEqual(await readJsonFile(referencePaths.evaluation));
      // The kept checkpoint holds the head; the frozen convolution and BatchNorm sit once in the study's store.
      const record = await readRunRecord(paths.record);
      const kept = join(paths.checkpoints, `epoch-000${record!.best_epoch}`);
      const model = decodeSafetensors(await readFile(join(kept, 'model.safetensors')));
      expect([...model.tensors.keys()].sort()).toEqual(['fc.bias', 'fc.weight']);
      const stored = await readdir(paths.frozenStore);
      expect(stored).toHaveLength(1);
      expect([...decodeSafetensors(await readFile(join(paths.frozenStore, stored[0]))).tensors.keys()].sort()).toEqual([
        'bn.bias', 'bn.num_batches_tracked', 'bn.running_mean', 'bn.running_var', 'bn.weight', 'conv.weight',
      ]);
      expect((await readWeightsFile(join(kept, 'model.safetensors'))).tensors.size).toBe(8);
    } finally {
      await rm(study, { recursive: true, force: true });
    }
  }, 240_000);
});
