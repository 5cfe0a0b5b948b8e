import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeRunRecord } from '../../../runtime/results/record-file.js';
import { runPaths, specPaths } from '../../../runtime/results/run-paths.js';
import { acquireLease } from '../../../runtime/runner/lease.js';
import { formatStatus, readSweepStatus } from '../../../runtime/runner/sweep-status.js';
import { fakeConfig, fakePlan } from './fixtures/plan.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'status-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('sweep status', () => {
  it('tells pending, running with its owner, interrupted (dead owner), completed and failed runs apart', async () => {
    const plan = fakePlan('study', [1, 2, 3, 4, 5].map((seed) => fakeConfig({ seed })));
    const paths = plan.runs.map((run) => runPaths(specPaths(dir, 'study'), run.id));
    for (const p of paths) await mkdir(p.dir, { recursive: true });
    const base = (i: number) => ({ id: plan.runs[i].id, name: plan.runs[i].name, experiments: ['main'], epochs_completed: 1 });
    await writeRunRecord(paths[1].record, { ...base(1), status: 'running', owner: 'gpu7:4242' });
    const lease = await acquireLease(paths[1].lease);
    await writeRunRecord(paths[2].record, { ...base(2), status: 'running', owner: 'gpu8:1' }); // its runner died: no lease
    await writeRunRecord(paths[3].record, { ...base(3), status: 'completed', epochs_completed: 3 });
    await writeRunRecord(paths[4].record, { ...base(4), status: 'failed', failure: { code: 'NON_FINITE_LOSS', message: 'training loss is NaN at epoch 2, step 7' } });
    const rows = await readSweepStatus(plan, dir);
    await lease!.release();
    expect(rows.map((r) => [r.status, r.owner ?? null])).toEqual([
      ['pending', null],
      ['running', `${lease!.owner.host}:${process.pid}`],
      ['interrupted', null],
      ['completed', null],
      ['failed', null],
    ]);
    const text = formatStatus(rows);
    expect(text).toContain(`0004abcdef01  seed=5,lr=0.1      1/3  failed: NON_FINITE_LOSS: training loss is NaN at epoch 2, step 7`);
    expect(text).toContain('5 runs: 1 completed, 1 running, 1 interrupted, 1 failed, 1 pending');
  });
});
