import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadPlan } from '../../../../bin/load-plan.js';
import { runSweep } from '../../../../runtime/runner/run-sweep.js';
import { createFakeExecutor } from '../../runner/fixtures/fake-executor.js';

// Two `sweepspec run` processes on a study the fake executor already completed (nothing trains): ~5 s.
const exec = promisify(execFile);
const BIN = join(import.meta.dirname, '..', '..', '..', '..', 'bin', 'sweepspec.js');
const SPEC = join(import.meta.dirname, '..', '..', 'runner', 'fixtures', 'cli-study', 'study.yaml');
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tb-flag-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('sweepspec run --no-tensorboard', () => {
  it('writes no TensorBoard folder, while a plain run declares the study there', async () => {
    const { plan, specDir } = await loadPlan(SPEC, { checkData: true });
    for (const results of [join(dir, 'off'), join(dir, 'on')]) {
      await runSweep({
        plan, specDir, resultsDir: results, selection: {}, jobs: 1, backend: 'cpu',
        executor: createFakeExecutor({ stepMs: 1 }), signal: new AbortController().signal,
      });
    }
    await exec(process.execPath, [BIN, 'run', SPEC, '--results', join(dir, 'off'), '--no-tensorboard']);
    expect(await readdir(join(dir, 'off', plan.name))).not.toContain('tensorboard');
    await exec(process.execPath, [BIN, 'run', SPEC, '--results', join(dir, 'on')]);
    const files = await readdir(join(dir, 'on', plan.name, 'tensorboard'));
    expect(files.filter((name) => name.startsWith('events.out.tfevents.'))).toHaveLength(1);
  }, 60_000);
});
