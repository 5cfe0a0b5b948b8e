import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readRunRecord } from '../../../runtime/results/record-file.js';
import { runPaths, specPaths } from '../../../runtime/results/run-paths.js';
import { fakeConfig, fakePlan } from './fixtures/plan.js';

const run = promisify(execFile);
const child = join(import.meta.dirname, 'fixtures', 'sweep-child.ts');
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'runners-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('several runner processes', () => {
  it('four shards plus two duplicate shards on a 12-run plan run each run exactly once', async () => {
    const plan = fakePlan('study', Array.from({ length: 12 }, (_, seed) => fakeConfig({ seed })));
    const planPath = join(dir, 'plan.json');
    await writeFile(planPath, JSON.stringify(plan));
    const results = join(dir, 'results');
    const log = join(dir, 'executions.log');
    const shards = ['1/4', '2/4', '3/4', '4/4', '1/4', '3/4'];
    const outcomes = await Promise.allSettled(
      shards.map((shard) => run(process.execPath, ['--import', 'tsx', child, planPath, results, '20', log, shard])),
    );
    expect(outcomes.map((o) => o.status)).toEqual(shards.map(() => 'fulfilled')); // every runner exits 0
    const starts = (await readFile(log, 'utf8')).split('\n').filter(Boolean).map((line) => line.split(' ')[1]);
    expect(starts.slice().sort()).toEqual(plan.runs.map((r) => r.id).sort());
    for (const planned of plan.runs) {
      const record = await readRunRecord(runPaths(specPaths(results, 'study'), planned.id).record);
      expect(record).toMatchObject({ status: 'completed', epochs_completed: 3 });
    }
  });
});
