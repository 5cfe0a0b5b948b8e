import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readEpochMetrics } from '../../../runtime/results/metrics-log.js';
import { readRunRecord } from '../../../runtime/results/record-file.js';
import { runPaths, specPaths } from '../../../runtime/results/run-paths.js';
import { runSweep } from '../../../runtime/runner/run-sweep.js';
import type { SweepEvent } from '../../../runtime/runner/sweep-events.js';
import { createWorkerPool } from '../../../runtime/runner/worker-pool.js';
import { fakeConfig, fakePlan } from './fixtures/plan.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pool-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('--jobs worker pool', () => {
  it('runs runs in two worker processes at once, relaying progress and record updates', async () => {
    const log = join(dir, 'executions.log');
    const pool = createWorkerPool({
      size: 2,
      executor: { module: join(import.meta.dirname, 'fixtures', 'fake-executor.ts'), factory: 'createFakeExecutor', options: { stepMs: 5, log } },
    });
    const plan = fakePlan('study', [1, 2, 3, 4].map((seed) => fakeConfig({ seed })));
    const events: SweepEvent[] = [];
    const cwd = process.cwd();
    process.chdir(dir); // workers must find their loader from anywhere, not only from the repository
    try {
      const summary = await runSweep({
        plan, specDir: dir, resultsDir: join(dir, 'results'), selection: {}, jobs: 2, backend: 'cpu',
        executor: pool.executor, signal: new AbortController().signal, onEvent: (e) => events.push(e),
      });
      expect(summary.ran).toEqual({ completed: 4, failed: 0, interrupted: 0, stopped: 0 });
    } finally {
      process.chdir(cwd);
      pool.close();
    }
    const pids = new Set((await readFile(log, 'utf8')).split('\n').filter(Boolean).map((line) => line.split(' ')[2]));
    expect(pids.size).toBe(2);
    expect(pids.has(String(process.pid))).toBe(false);
    expect(events.filter((e) => e.type === 'run-event' && e.event.type === 'epoch-end')).toHaveLength(12);
    const paths = runPaths(specPaths(join(dir, 'results'), 'study'), plan.runs[3].id);
    expect(await readRunRecord(paths.record)).toMatchObject({ status: 'completed', epochs_completed: 3 });
    expect((await readEpochMetrics(paths.metrics)).map((m) => m.epoch)).toEqual([1, 2, 3]);
  });
});
