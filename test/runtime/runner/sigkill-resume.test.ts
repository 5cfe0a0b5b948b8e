import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scanCheckpoints } from '../../../runtime/results/checkpoint-store.js';
import { readEpochMetrics } from '../../../runtime/results/metrics-log.js';
import { readRunRecord } from '../../../runtime/results/record-file.js';
import { runPaths, specPaths } from '../../../runtime/results/run-paths.js';
import { Random } from '../../../runtime/random.js';
import { fakeConfig, fakePlan } from './fixtures/plan.js';

const child = join(import.meta.dirname, 'fixtures', 'sweep-child.ts');
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sigkill-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Starts a runner; once it has started the run, SIGKILLs it after `killAfterMs` (null: let it finish). */
function runner(args: string[], killAfterMs: number | null): Promise<number | string> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    proc.stdout.on('data', (chunk: Buffer) => {
      if (killAfterMs !== null && chunk.toString().includes('started')) setTimeout(() => proc.kill('SIGKILL'), killAfterMs);
    });
    proc.on('error', reject);
    proc.on('exit', (code, signal) => resolve(signal ?? code ?? -1));
  });
}

describe('SIGKILL at random points', () => {
  it('resumes to completion with every epoch once and the metrics of an uninterrupted run', async () => {
    const config = fakeConfig({ seed: 11, epochs: 40 });
    const results = join(dir, 'results');
    const writePlan = async (name: string) => {
      const path = join(dir, `${name}.json`);
      await writeFile(path, JSON.stringify(fakePlan(name, [config])));
      return path;
    };
    const referencePlan = await writePlan('reference');
    expect(await runner([referencePlan, results, '3', join(dir, 'ref.log')], null)).toBe(0);

    const plan = fakePlan('killed', [config]);
    const planPath = await writePlan('killed');
    const paths = runPaths(specPaths(results, 'killed'), plan.runs[0].id);
    const random = new Random(20261128);
    const kills: number[] = [];
    for (let attempt = 0; attempt < 10; attempt++) {
      // 40 epochs of 4 steps x 3 ms plus a checkpoint each: a kill window of 40 ms lands
      // anywhere in a step or a checkpoint write, and 10 attempts cannot finish the run.
      const after = Math.floor(random.uniform(0, 40));
      const outcome = await runner([planPath, results, '3', join(dir, 'killed.log')], after);
      kills.push(outcome === 'SIGKILL' ? after : -1);
      const epochs = (await readEpochMetrics(paths.metrics)).map((m) => m.epoch);
      expect(epochs).toEqual(epochs.map((_, i) => i + 1).slice(0, epochs.length));
    }
    expect(kills.filter((k) => k >= 0).length).toBeGreaterThanOrEqual(10);
    const before = await readRunRecord(paths.record);
    expect(before?.status).toBe('running'); // died holding it: `status` shows it interrupted once the lease is stale
    expect(before!.epochs_completed).toBeLessThan(40);
    expect(await runner([planPath, results, '3', join(dir, 'killed.log')], null)).toBe(0);
    expect(await readRunRecord(paths.record)).toMatchObject({ status: 'completed', epochs_completed: 40 });
    const reference = await readEpochMetrics(runPaths(specPaths(results, 'reference'), plan.runs[0].id).metrics);
    expect(reference.map((m) => m.epoch)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(await readEpochMetrics(paths.metrics)).toEqual(reference);
    // Completed: the kept epoch alone, without its resume-only optimizer state, as in the uninterrupted run.
    const record = await readRunRecord(paths.record);
    expect(await readdir(paths.checkpoints)).toEqual([`epoch-${String(record!.best_epoch).padStart(4, '0')}`]);
    const kept = join(paths.checkpoints, `epoch-${String(record!.best_epoch).padStart(4, '0')}`);
    expect((await readdir(kept)).sort()).toEqual(['manifest.json', 'state.json', 'weights.json']);
    expect((await scanCheckpoints(paths.checkpoints)).valid.map((c) => c.epoch)).toEqual([record!.best_epoch]);
  }, 180_000); // a dozen processes; each pays Node and tsx start-up
});
