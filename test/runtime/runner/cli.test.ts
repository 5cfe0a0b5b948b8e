import { execFile } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadPlan } from '../../../bin/load-plan.js';
import { runSweep } from '../../../runtime/runner/run-sweep.js';
import { createFakeExecutor } from './fixtures/fake-executor.js';

const exec = promisify(execFile);
const BIN = join(import.meta.dirname, '..', '..', '..', 'bin', 'sweepspec.js');
const SPEC = join(import.meta.dirname, 'fixtures', 'cli-study', 'study.yaml');
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const PRELOAD = join(import.meta.dirname, 'fixtures', 'cpu-usage.cjs');

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  wallSeconds: number;
  usage: { cpuSeconds: number; tfjsLoaded: boolean };
}

async function sweepspec(...args: string[]): Promise<CliResult> {
  const started = performance.now();
  const usageFile = join(dir, `usage-${Math.random()}.json`);
  const env = { ...process.env, CPU_USAGE_FILE: usageFile };
  let result: Pick<CliResult, 'code' | 'stdout' | 'stderr'>;
  try {
    const { stdout, stderr } = await exec(process.execPath, ['--require', PRELOAD, BIN, ...args], { env });
    result = { code: 0, stdout, stderr };
  } catch (error) {
    result = error as CliResult;
  }
  const usage = JSON.parse(await readFile(usageFile, 'utf8')) as CliResult['usage'];
  return { ...result, wallSeconds: (performance.now() - started) / 1000, usage };
}

describe('sweepspec run / status', () => {
  it('reports states, and a second run of a completed spec trains nothing in under 2 s', async () => {
    const results = join(dir, 'results');
    const pending = await sweepspec('status', SPEC, '--results', results);
    expect(pending.code).toBe(0);
    expect(pending.stdout).toContain('3 runs: 0 completed, 0 running, 0 interrupted, 0 failed, 3 pending');
    const { plan, specDir } = await loadPlan(SPEC, { checkData: true });
    const controller = new AbortController();
    await runSweep({
      plan, specDir, resultsDir: results, selection: { only: 'seed=[01]' }, jobs: 1, backend: 'cpu',
      executor: createFakeExecutor({ stepMs: 1 }), signal: controller.signal,
    });
    const dry = await sweepspec('run', SPEC, '--results', results, '--dry-run');
    expect(dry.stdout.split('\n').filter(Boolean).map((line) => line.replace(/^\w+ {2}/, ''))).toEqual([
      'seed=0: skip (completed)',
      'seed=1: skip (completed)',
      'seed=2: train',
    ]);
    await runSweep({
      plan, specDir, resultsDir: results, selection: {}, jobs: 1, backend: 'cpu',
      executor: createFakeExecutor({ stepMs: 1 }), signal: controller.signal,
    });
    const second = await sweepspec('run', SPEC, '--results', results);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('3 runs: 3 completed; trained 0 now');
    // Nothing to train: TensorFlow.js is never loaded. Under 2 s of CPU, and of wall time on an idle machine.
    expect(second.usage.tfjsLoaded).toBe(false);
    expect(second.usage.cpuSeconds).toBeLessThan(2);
    if (loadavg()[0] < cpus().length / 2) expect(second.wallSeconds).toBeLessThan(2);
    const done = await sweepspec('status', SPEC, '--results', results);
    expect(done.stdout).toMatch(/seed=2 +2\/2 {2}completed/);
    expect(done.stdout).toContain('3 runs: 3 completed, 0 running, 0 interrupted, 0 failed, 0 pending');
  });

  it('rejects a malformed --shard and an --only that matches nothing with exit code 2', async () => {
    const bad = await sweepspec('run', SPEC, '--shard', '5/4', '--results', join(dir, 'r'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("option '--shard <i/n>' argument '5/4' is invalid. must be I/N with 1 <= I <= N, e.g. 2/4");
    const none = await sweepspec('run', SPEC, '--only', 'arch=*', '--results', join(dir, 'r'));
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("sweepspec: --only arch=* matches none of the 3 runs' names or ids");
  });
});
