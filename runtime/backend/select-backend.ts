/**
 * Chooses and activates the TensorFlow.js backend for this process.
 *
 * `auto` tries, best first: tensorflow-gpu (@tensorflow/tfjs-node-gpu with a
 * visible GPU), tensorflow (@tensorflow/tfjs-node, e.g. built by `sweepspec
 * setup native`), wasm (threaded where possible, with the training kernels
 * tfjs-backend-wasm lacks), cpu. A forced backend that cannot load is a
 * UserError that says why. Each preference is resolved once per process;
 * asking again re-activates the same backend.
 */
import { UserError } from '../../bin/user-error.js';
import type { BackendChoice } from '../results/records.js';
import { loadNativeBackend } from './native-backend.js';
import * as tf from './tf.js';
import { registerWasmTrainingKernels } from './wasm-kernels/register-wasm-training-kernels.js';
import { initThreadedWasm } from './wasm-threads.js';
import { coreBudget } from './core-budget.js';

export type BackendPreference = 'auto' | BackendChoice['name'];
export const BACKEND_PREFERENCES: readonly BackendPreference[] = ['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

type BackendName = BackendChoice['name'];
const ORDER: readonly BackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];
/** tfjs's own name for each of ours. */
const TFJS_NAME: Readonly<Record<BackendName, string>> = {
  'tensorflow-gpu': 'tensorflow',
  tensorflow: 'tensorflow',
  wasm: 'wasm',
  cpu: 'cpu',
};

interface Loaded {
  readonly threads?: number;
}
type Attempt = { readonly ok: true; readonly loaded: Loaded } | { readonly ok: false; readonly reason: string };

const attempts = new Map<BackendName, Promise<Attempt>>();
const choices = new Map<BackendPreference, Promise<BackendChoice>>();

export function selectBackend(preference: BackendPreference = 'auto'): Promise<BackendChoice> {
  if (!BACKEND_PREFERENCES.includes(preference)) {
    return Promise.reject(new UserError(`unknown backend '${String(preference)}' (expected one of ${BACKEND_PREFERENCES.join(', ')})`));
  }
  let choice = choices.get(preference);
  if (!choice) {
    choice = choose(preference);
    choices.set(preference, choice);
    choice.catch(() => choices.delete(preference));
  }
  return choice.then(async (chosen) => {
    if (tf.getBackend() !== TFJS_NAME[chosen.name]) await tf.setBackend(TFJS_NAME[chosen.name]);
    return chosen;
  });
}

/** One line for logs: `backend: wasm (2 threads); skipped tensorflow-gpu: ..., tensorflow: ...`. */
export function describeBackendChoice(choice: BackendChoice): string {
  const threads = choice.threads !== undefined ? ` (${choice.threads} thread${choice.threads === 1 ? '' : 's'})` : '';
  const skipped = choice.skipped.map((s) => `${s.name}: ${s.reason}`).join('; ');
  return `backend: ${choice.name}${threads}${skipped ? `; skipped ${skipped}` : ''}`;
}

async function choose(preference: BackendPreference): Promise<BackendChoice> {
  const candidates = preference === 'auto' ? ORDER : [preference];
  const skipped: { name: string; reason: string }[] = [];
  for (const name of candidates) {
    const attempt = await tryBackend(name);
    if (attempt.ok) return { name, skipped, ...(attempt.loaded.threads !== undefined ? { threads: attempt.loaded.threads } : {}) };
    skipped.push({ name, reason: attempt.reason });
  }
  if (preference !== 'auto') throw new UserError(`backend '${preference}' cannot be used: ${skipped[0].reason}`);
  throw new Error(`no TensorFlow.js backend could be loaded: ${skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')}`);
}

function tryBackend(name: BackendName): Promise<Attempt> {
  let attempt = attempts.get(name);
  if (!attempt) {
    attempt = load(name).then(
      (loaded): Attempt => ({ ok: true, loaded }),
      (error: unknown): Attempt => ({ ok: false, reason: error instanceof Error ? error.message : String(error) }),
    );
    attempts.set(name, attempt);
  }
  return attempt;
}

async function load(name: BackendName): Promise<Loaded> {
  switch (name) {
    case 'tensorflow-gpu':
    case 'tensorflow':
      await loadNativeBackend(name);
      return {};
    case 'wasm':
      return loadWasm();
    case 'cpu':
      if (!(await tf.setBackend('cpu'))) throw new Error('the cpu backend did not initialise');
      silenceNodeBanner();
      return {};
  }
}

/** Threads from SWEEPSPEC_WASM_THREADS, else the process's core budget (core-budget.ts; at most 8, the worker pool's size). */
export function wantedWasmThreads(): number {
  const fromEnv = Number(process.env.SWEEPSPEC_WASM_THREADS);
  if (Number.isInteger(fromEnv) && fromEnv >= 1) return Math.min(fromEnv, 8);
  return Math.max(1, Math.min(coreBudget().cores, 8));
}

async function loadWasm(): Promise<Loaded> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const threads = wantedWasmThreads();
  let actual = 0;
  if (threads > 1 && wasm.version_wasm === '4.22.0') {
    actual = await initThreadedWasm(wasm, threads).catch(() => 0);
  }
  if (actual === 0) {
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    if (!(await tf.setBackend('wasm'))) throw new Error('the wasm module did not initialise');
    actual = 1;
  }
  registerWasmTrainingKernels();
  return { threads: actual };
}

/** tfjs-backend-cpu prints "looks like you are running in Node" on its first write. */
function silenceNodeBanner(): void {
  const cpu = tf.findBackend('cpu') as unknown as { firstUse?: boolean } | null;
  if (cpu) cpu.firstUse = false;
}
