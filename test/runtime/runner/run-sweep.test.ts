import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunPlan } from '../../../compiler/types/plan.js';
import { readEpochMetrics } from '../../../runtime/results/metrics-log.js';
import { readRunRecord } from '../../../runtime/results/record-file.js';
import { runPaths, specPaths } from '../../../runtime/results/run-paths.js';
import type { RunExecutor } from '../../../runtime/runner/executor.js';
import { runSweep, type SweepOptions } from '../../../runtime/runner/run-sweep.js';
import { type SweepEvent, sweepExitCode } from '../../../runtime/runner/sweep-events.js';
import { createFakeExecutor } from './fixtures/fake-executor.js';
import { fakeConfig, fakePlan } from './fixtures/plan.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sweep-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function sweep(plan: RunPlan, extra: Partial<SweepOptions> = {}) {
  const events: SweepEvent[] = [];
  const log = join(dir, 'executions.log');
  const result = runSweep({
    plan, specDir: dir, resultsDir: join(dir, 'results'), selection: {}, jobs: 1, backend: 'cpu',
    executor: createFakeExecutor({ stepMs: 1, log }), signal: new AbortController().signal,
    onEvent: (event) => events.push(event), ...extra,
  });
  return { result, events, executions: async () => (await readFile(log, 'utf8').catch(() => '')).split('\n').filter(Boolean) };
}

const paths = (plan: RunPlan, index: number) => runPaths(specPaths(join(dir, 'results'), plan.name), plan.runs[index].id);

describe('runSweep', () => {
  it('runs every run once, then a second sweep trains nothing', async () => {
    const plan = fakePlan('study', [fakeConfig({ seed: 1 }), fakeConfig({ seed: 2 })]);
    const first = sweep(plan);
    const summary = await first.result;
    expect(summary.ran).toEqual({ completed: 2, failed: 0, interrupted: 0, stopped: 0 });
    expect(sweepExitCode(summary)).toBe(0);
    expect(JSON.parse(await readFile(join(dir, 'results', 'study', 'plan.json'), 'utf8'))).toEqual(plan);
    const record = await readRunRecord(paths(plan, 0).record);
    expect(record).toMatchObject({ status: 'completed', epochs_completed: 3, name: 'seed=1,lr=0.1' });
    expect(record?.owner).toBeUndefined();
    expect((await readEpochMetrics(paths(plan, 0).metrics)).map((m) => m.epoch)).toEqual([1, 2, 3]);
    const second = sweep(plan);
    expect((await second.result).ran).toEqual({ completed: 0, failed: 0, interrupted: 0, stopped: 0 });
    expect(second.events.filter((e) => e.type === 'run-skip').length).toBe(2);
    expect(await second.executions()).toHaveLength(2);
  });

  it('records a NaN-producing run as failed, completes the others, and retries it only with --rerun failed', async () => {
    const plan = fakePlan('study', [fakeConfig({ seed: 1 }), fakeConfig({ seed: 2, lr: 1e9 }), fakeConfig({ seed: 3 })]);
    const summary = await sweep(plan).result;
    expect(summary.statuses).toEqual({ [plan.runs[0].id]: 'completed', [plan.runs[1].id]: 'failed', [plan.runs[2].id]: 'completed' });
    expect(sweepExitCode(summary)).toBe(1);
    const failed = await readRunRecord(paths(plan, 1).record);
    expect(failed?.failure).toMatchObject({ code: 'NON_FINITE_LOSS', epoch: 1, step: 1 });
    expect((await sweep(plan).result).ran).toEqual({ completed: 0, failed: 0, interrupted: 0, stopped: 0 });
    const retry = sweep(plan, { selection: { rerun: 'failed' } });
    expect((await retry.result).ran).toEqual({ completed: 0, failed: 1, interrupted: 0, stopped: 0 });
    expect(retry.events.filter((e) => e.type === 'run-start').map((e) => e.type === 'run-start' && e.fresh)).toEqual([true]);
  });

  it('selects runs with --only globs over names or ids and --shard', async () => {
    const plan = fakePlan('study', [1, 2, 3, 4, 5].map((seed) => fakeConfig({ seed })));
    const only = await sweep(plan, { selection: { only: 'seed={2,4}*' } }).result;
    expect(Object.keys(only.statuses)).toEqual([plan.runs[1].id, plan.runs[3].id]);
    const shard = await sweep(plan, { selection: { shard: { index: 2, count: 2 }, only: '000*' } }).result;
    expect(Object.keys(shard.statuses)).toEqual([plan.runs[1].id, plan.runs[3].id]);
  });

  it('refuses a run whose stored config differs from the plan', async () => {
    const plan = fakePlan('study', [fakeConfig({ seed: 1 })]);
    await sweep(plan, { executor: async () => ({ status: 'interrupted', epochsCompleted: 0 }) }).result;
    await writeFile(paths(plan, 0).config, JSON.stringify(fakeConfig({ seed: 9 })));
    const again = sweep(plan);
    const summary = await again.result;
    expect(summary.refused).toBe(1);
    expect(sweepExitCode(summary)).toBe(1);
    const refusal = again.events.find((e) => e.type === 'run-refused');
    expect(refusal?.type === 'run-refused' && refusal.message).toContain('differs from the plan\'s config for run 0000abcdef01');
  });

  it('marks a run interrupted on abort and resumes it to the same metrics as an uninterrupted run', async () => {
    const config = fakeConfig({ seed: 7, epochs: 5 });
    const reference = fakePlan('reference', [config]);
    await sweep(reference).result;
    const plan = fakePlan('study', [config]);
    const controller = new AbortController();
    const interrupted = sweep(plan, {
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'run-event' && event.event.type === 'epoch-end' && event.event.metrics.epoch === 2) controller.abort();
      },
    });
    const summary = await interrupted.result;
    expect(summary.interrupted).toBe(true);
    expect(sweepExitCode(summary)).toBe(130);
    expect(await readRunRecord(paths(plan, 0).record)).toMatchObject({ status: 'interrupted', epochs_completed: 2 });
    await sweep(plan).result;
    expect(await readRunRecord(paths(plan, 0).record)).toMatchObject({ status: 'completed', epochs_completed: 5 });
    expect(await readEpochMetrics(paths(plan, 0).metrics)).toEqual(await readEpochMetrics(paths(reference, 0).metrics));
  });

  it('records an executor error as a failure with a stable code and continues', async () => {
    const plan = fakePlan('study', [fakeConfig({ seed: 1 }), fakeConfig({ seed: 2 })]);
    const diskFull: RunExecutor = async (job) => {
      if (job.run.config.seed === 1) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      return { status: 'completed', epochsCompleted: 3 };
    };
    const summary = await sweep(plan, { executor: diskFull }).result;
    expect(summary.ran).toEqual({ completed: 1, failed: 1, interrupted: 0, stopped: 0 });
    expect((await readRunRecord(paths(plan, 0).record))?.failure).toEqual({ code: 'DISK_FULL', message: 'ENOSPC: no space left on device, write' });
    expect(await readFile(paths(plan, 0).log, 'utf8')).toMatch(/failed: DISK_FULL: ENOSPC/);
  });
});

describe('runSweep with a damaged checkpoint', () => {
  it('reports the corrupt checkpoint, resumes from the previous valid one, and still records each epoch once', async () => {
    const { readdir, readFile: read, writeFile: write } = await import('node:fs/promises');
    const config = fakeConfig({ seed: 3, epochs: 6 });
    const reference = fakePlan('reference', [config]);
    await sweep(reference).result;
    const plan = fakePlan('study', [config]);
    const controller = new AbortController();
    await sweep(plan, {
      signal: controller.signal,
      onEvent: (e) => e.type === 'run-event' && e.event.type === 'epoch-end' && e.event.metrics.epoch === 4 && controller.abort(),
    }).result;
    const checkpoints = paths(plan, 0).checkpoints;
    const latest = (await readdir(checkpoints)).sort().at(-1)!;
    expect(latest).toBe('epoch-0004');
    const weights = join(checkpoints, latest, 'weights.json');
    const bytes = await read(weights);
    bytes[1] ^= 0x04;
    await write(weights, bytes);
    const resumed = sweep(plan);
    await resumed.result;
    const notices = resumed.events.flatMap((e) => (e.type === 'run-event' && e.event.type === 'notice' ? [e.event.message] : []));
    expect(notices).toEqual(['CHECKPOINT_CORRUPT: weights.json does not match its sha256 in the manifest']);
    expect(await readFile(paths(plan, 0).log, 'utf8')).toContain('CHECKPOINT_CORRUPT: weights.json does not match its sha256');
    expect(await readEpochMetrics(paths(plan, 0).metrics)).toEqual(await readEpochMetrics(paths(reference, 0).metrics));
  });
});
