import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileFile } from '../../../bin/load-plan.js';
import type { RunPlan } from '../../../compiler/types/plan.js';
import { readRunRecord } from '../../../runtime/results/record-file.js';
import { runPaths, specPaths } from '../../../runtime/results/run-paths.js';
import { searchPaths } from '../../../runtime/search/proposal-record.js';
import { readProposals } from '../../../runtime/search/read-observations.js';

// Runner processes with the fake executor (runtime/runner tests' stand-in for
// training: milliseconds per step, the store code of real runs); ~15 s, mostly
// Node and tsx start-up of 6 processes.
const run = promisify(execFile);
const child = join(import.meta.dirname, '..', 'runner', 'fixtures', 'sweep-child.ts');
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tpe-sweep-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const SPEC = `version: 1
name: tpe-sweep
data: { root: ${join(import.meta.dirname, '..', '..', '..', 'data', 'fmnist-mini')}, image_size: 32 }
defaults: { epochs: 3 }
experiments:
  tuned:
    search: { method: tpe, samples: 6, startup: 3, seed: 5 }
    matrix:
      optimizer:
        - { name: sgd, set: { optimizer.type: sgd } }
        - { name: adam, set: { optimizer.type: adam } }
      optimizer.lr: { loguniform: [0.01, 0.6] }
      optimizer.momentum: { uniform: [0, 0.9] }
`;

async function planFile(): Promise<{ plan: RunPlan; path: string }> {
  const specPath = join(dir, 'tpe.yaml');
  await writeFile(specPath, SPEC);
  const { plan } = compileFile(specPath, { dataCheck: 'off' });
  const path = join(dir, 'plan.json');
  await writeFile(path, JSON.stringify(plan));
  return { plan: plan!, path };
}

/** A runner; with `killAtStart`, SIGKILLed 40 ms after it starts that many runs. */
function runner(args: string[], killAtStart?: number): Promise<number | string> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let started = 0;
    proc.stdout.on('data', (chunk: Buffer) => {
      started += chunk.toString().split('\n').filter((line) => line.startsWith('started')).length;
      if (killAtStart !== undefined && started >= killAtStart) setTimeout(() => proc.kill('SIGKILL'), 40);
    });
    proc.on('error', reject);
    proc.on('exit', (code, signal) => resolve(signal ?? code ?? -1));
  });
}

async function trainedIds(results: string, plan: RunPlan): Promise<string[]> {
  const proposals = await readProposals(searchPaths(specPaths(results, plan.name), 'tuned'));
  return [...plan.runs.map((r) => r.id), ...[...proposals.values()].map((p) => p.run)];
}

describe('a tpe experiment of 6 runs with 3 startup runs', () => {
  it('trains 6 runs: the 3 planned draws, then 3 proposals made from the finished runs', async () => {
    const { plan, path } = await planFile();
    expect(plan.runs).toHaveLength(3);
    const results = join(dir, 'results');
    expect(await runner([path, results, '1', join(dir, 'log')])).toBe(0);
    const proposals = [...(await readProposals(searchPaths(specPaths(results, plan.name), 'tuned'))).values()];
    expect(proposals.map((p) => p.slot)).toEqual([3, 4, 5]);
    proposals.forEach((p, i) => {
      expect(p.mode).toBe('tpe');
      expect([...p.below, ...p.above]).toHaveLength(3 + i); // every earlier run, each finished
      expect(p.pending).toEqual([]);
    });
    const ids = await trainedIds(results, plan);
    expect(new Set(ids).size).toBe(6);
    for (const id of ids) expect((await readRunRecord(runPaths(specPaths(results, plan.name), id).record))?.status).toBe('completed');
  }, 180_000); // wall time: process start-up is slow on a loaded machine

  it('killed during the fifth run and run again, completes the same 6 configurations', async () => {
    const { plan, path } = await planFile();
    const reference = join(dir, 'reference');
    expect(await runner([path, reference, '10', join(dir, 'ref.log')])).toBe(0);
    const results = join(dir, 'results');
    expect(await runner([path, results, '10', join(dir, 'log')], 5)).toBe('SIGKILL');
    const before = await readProposals(searchPaths(specPaths(results, plan.name), 'tuned'));
    expect([...before.keys()]).toContain(4); // the fifth run's proposal was stored before it trained
    expect(await runner([path, results, '10', join(dir, 'log')])).toBe(0);
    expect(await trainedIds(results, plan)).toEqual(await trainedIds(reference, plan));
  }, 180_000); // wall time: process start-up is slow on a loaded machine

  it('two runners in parallel never propose twice for a slot nor train one proposal twice', async () => {
    const { plan, path } = await planFile();
    const results = join(dir, 'results');
    const log = join(dir, 'log');
    const outcomes = await Promise.all([1, 2].map(() => run(process.execPath, ['--import', 'tsx', child, path, results, '20', log])));
    expect(outcomes).toHaveLength(2);
    const starts = (await readFile(log, 'utf8')).split('\n').filter(Boolean).map((line) => line.split(' ')[1]);
    const ids = await trainedIds(results, plan);
    expect(starts.slice().sort()).toEqual(ids.slice().sort()); // each of the 6 runs started exactly once
    expect(new Set(ids).size).toBe(6);
  }, 180_000); // wall time: process start-up is slow on a loaded machine
});
