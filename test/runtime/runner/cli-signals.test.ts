import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRunRecord } from '../../../runtime/results/record-file.js';
import { readSweepStatus } from '../../../runtime/runner/sweep-status.js';
import { loadPlan } from '../../../bin/load-plan.js';
import { writeImageStudy } from './fixtures/image-study.js';

const BIN = join(import.meta.dirname, '..', '..', '..', 'bin', 'sweepspec.js');
let dir: string;
let spec: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-signals-'));
  spec = await writeImageStudy(dir, { epochs: 2, lrs: [0.05], trainPerClass: 4 });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs `sweepspec run` (real executor, resnet18 at 32 px), sending SIGINT `count` times once stdout shows `trigger`. */
function runAndInterrupt(trigger: string, count: number): Promise<{ code: number | null; stdout: string; stderr: string; afterSignalMs: number }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'run', spec, '--results', join(dir, 'results'), '--backend', 'wasm'], { cwd: dir });
    let stdout = '';
    let stderr = '';
    let signalledAt = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (!signalledAt && stdout.includes(trigger)) {
        signalledAt = Date.now();
        for (let i = 0; i < count; i++) setTimeout(() => child.kill('SIGINT'), i * 50);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr, afterSignalMs: Date.now() - signalledAt }));
  });
}

describe('sweepspec run and signals', () => {
  it('Ctrl-C stops after the current step and marks the run interrupted (130); a second Ctrl-C quits at once', async () => {
    const { plan } = await loadPlan(spec, { checkData: true });
    const record = join(dir, 'results', 'images', 'runs', plan.runs[0].id, 'record.json');

    const once = await runAndInterrupt(': training', 1);
    expect(once.code).toBe(130);
    expect(once.stderr).toContain('stopping after the current step and saving what is complete; press Ctrl-C again to quit at once');
    expect(once.stdout).toContain(`lr=0.05 [${plan.runs[0].id}]: interrupted`);
    expect(once.stdout).toContain(`resume with: sweepspec run ${spec}`);
    expect((await readRunRecord(record))?.status).toBe('interrupted');

    const twice = await runAndInterrupt(': loading the backend', 2);
    expect(twice.code).toBe(130);
    expect(twice.stdout).not.toContain(': interrupted');
    // The runner died holding the run: status sees its process gone and reports it interrupted.
    expect((await readRunRecord(record))?.status).toBe('running');
    const [row] = await readSweepStatus(plan, join(dir, 'results'));
    expect(row.status).toBe('interrupted');
  }, 180_000);
});
