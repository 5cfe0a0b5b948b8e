import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../bin/user-error.js';
import { describeBackendChoice, selectBackend } from '../../../runtime/backend/select-backend.js';
import * as tf from '../../../runtime/backend/tf.js';

const run = promisify(execFile);
const child = fileURLToPath(new URL('./fixtures/select-in-child.ts', import.meta.url));

async function selectInChild(mode: string, env: Record<string, string> = {}): Promise<{ choice: { name: string; threads?: number }; backend: string; sum: number }> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', child, mode], { env: { ...process.env, ...env }, timeout: 60_000 });
  return JSON.parse(stdout) as never;
}

function nativeInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
}

describe('selectBackend', () => {
  it('auto picks the best loadable backend, says why better ones were skipped, and is idempotent', async () => {
    const first = await selectBackend('auto');
    const second = await selectBackend('auto');
    expect(second).toBe(first);
    expect(tf.getBackend()).toBe(first.name === 'tensorflow-gpu' ? 'tensorflow' : first.name);
    const order = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];
    expect(first.skipped.map((s) => s.name)).toEqual(order.slice(0, order.indexOf(first.name)));
    for (const skipped of first.skipped) expect(skipped.reason.length).toBeGreaterThan(10);
    expect(describeBackendChoice(first)).toMatch(/^backend: /);
  });

  it('a forced backend that cannot load is a UserError saying why', async () => {
    const error = await selectBackend('tensorflow-gpu').catch((e: unknown) => e);
    if (!(error instanceof Error)) return; // a GPU machine: nothing to check here
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toMatch(/^backend 'tensorflow-gpu' cannot be used: .*(not installed|without its native binding|failed to load|no GPU)/);
  });

  it.runIf(!nativeInstalled())('forcing tensorflow without tfjs-node names the setup command', async () => {
    await expect(selectBackend('tensorflow')).rejects.toThrow(/sweepspec setup native/);
  });

  it('switching between forced backends re-activates each', async () => {
    await selectBackend('cpu');
    expect(tf.getBackend()).toBe('cpu');
    const wasm = await selectBackend('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(wasm.threads).toBeGreaterThanOrEqual(1);
  });
});

describe('wasm threads', () => {
  it('runs threaded by default and single-threaded on request', async () => {
    const threaded = await selectInChild('plain', { SWEEPSPEC_WASM_THREADS: '2' });
    expect(threaded.choice).toMatchObject({ name: 'wasm', threads: 2 });
    expect(threaded.sum).toBe(2 * 36 * 36);
    const single = await selectInChild('plain', { SWEEPSPEC_WASM_THREADS: '1' });
    expect(single.choice).toMatchObject({ name: 'wasm', threads: 1 });
    expect(single.sum).toBe(2 * 36 * 36);
  });

  it('falls back to one thread when the threaded loader fails', async () => {
    const fallback = await selectInChild('broken-blob', { SWEEPSPEC_WASM_THREADS: '2' });
    expect(fallback.choice).toMatchObject({ name: 'wasm', threads: 1 });
    expect(fallback.backend).toBe('wasm');
    expect(fallback.sum).toBe(2 * 36 * 36);
  });
});
