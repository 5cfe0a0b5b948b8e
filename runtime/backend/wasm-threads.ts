/**
 * Loading tfjs-backend-wasm's threaded SIMD build under Node.
 *
 * tfjs-backend-wasm 4.22 reports no thread support in Node and hands its
 * worker script and main script to Emscripten as Blobs turned into object
 * URLs, which Node's worker_threads cannot load. This module (and only this
 * module) relies on those internals: for the duration of the backend's
 * initialisation it
 *   - forces WASM_HAS_MULTITHREAD_SUPPORT on,
 *   - records the parts of every Blob built, and makes URL.createObjectURL
 *     write them to a file and return its path (the main script gets the
 *     module-level `require$$N` bindings its factory closes over),
 *   - makes os.cpus() report `threads * 2` entries, because XNNPACK's pool is
 *     sized to half the logical cores.
 * Everything is restored afterwards. If anything fails the caller falls back
 * to the single-threaded build (see select-backend.ts).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import * as tf from './tf.js';

const MAIN_SCRIPT_PREFIX =
  "var require$$0 = require('fs'); var require$$1 = require('path');" +
  " var require$$3 = require('perf_hooks'); var require$$4 = require('os'); var commonjsGlobal = globalThis;\n";

const WORKER_IMPORT = 'if(typeof e.data.urlOrBlob=="string"){importScripts(e.data.urlOrBlob)}';

type WasmModule = typeof import('@tensorflow/tfjs-backend-wasm');

/** Patches the globals the threaded loader needs; returns the undo function. */
export function patchForThreads(threads: number): () => void {
  const originalBlob = globalThis.Blob;
  const originalCreate = URL.createObjectURL;
  const originalCpus = os.cpus;
  const dir = mkdtempSync(join(os.tmpdir(), 'sweepspec-wasm-'));
  let count = 0;

  const write = (text: string): string => {
    const file = join(dir, `script-${count++}.cjs`);
    writeFileSync(file, text);
    return file;
  };
  let mainScript: string | null = null;

  // The main script Blob is posted to each worker, where it cannot be read
  // synchronously: write it to a file and make the worker script import that.
  class RecordingBlob extends originalBlob {
    readonly recordedParts: readonly unknown[];
    constructor(parts: unknown[] = [], options?: BlobPropertyBag) {
      super(parts as BlobPart[], options);
      this.recordedParts = parts;
      const text = parts.every((part) => typeof part === 'string') ? parts.join('') : '';
      if (text.startsWith('var WasmBackendModuleThreadedSimd')) mainScript = write(MAIN_SCRIPT_PREFIX + text);
    }
  }
  globalThis.Blob = RecordingBlob as typeof Blob;
  URL.createObjectURL = (object: Blob): string => {
    const parts = (object as Partial<RecordingBlob>).recordedParts;
    if (!parts || !parts.every((part) => typeof part === 'string')) return originalCreate(object);
    const text = (parts as string[]).join('');
    if (mainScript === null || !text.includes(WORKER_IMPORT)) {
      throw new Error('unexpected tfjs-backend-wasm worker script (internals changed)');
    }
    return write(text.replace(WORKER_IMPORT, `if(true){importScripts(${JSON.stringify(mainScript)})}`));
  };
  const cores = originalCpus();
  os.cpus = () => Array.from({ length: Math.max(2, threads * 2) }, (_, i) => cores[i % cores.length]);
  return () => {
    globalThis.Blob = originalBlob;
    URL.createObjectURL = originalCreate;
    os.cpus = originalCpus;
  };
}

/**
 * Initialises the 'wasm' backend with `threads` XNNPACK threads. Returns the
 * thread count the backend reports. Throws when the threaded build cannot be
 * started; the backend is then left unregistered-initialised so the caller can
 * retry single-threaded.
 */
export async function initThreadedWasm(wasm: WasmModule, threads: number): Promise<number> {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  wasm.setThreadsCount(threads);
  // A failed attempt is reported by the caller's fallback, not by tfjs's console warning.
  const prod = tf.env().getBool('PROD');
  tf.env().set('PROD', true);
  let restore = (): void => undefined;
  try {
    restore = patchForThreads(threads);
    const ok = await tf.setBackend('wasm');
    if (!ok) throw new Error('the threaded wasm build did not initialise');
  } finally {
    restore();
    tf.env().set('PROD', prod);
  }
  unrefWorkers();
  return wasm.getThreadsCount();
}

interface PThreadPool {
  readonly runningWorkers?: readonly { unref?(): void }[];
  readonly unusedWorkers?: readonly { unref?(): void }[];
}

/** XNNPACK's pool threads live for the whole process: they must not keep it from exiting. */
function unrefWorkers(): void {
  const module = (tf.backend() as unknown as { wasm?: { PThread?: PThreadPool } }).wasm;
  const pool = module?.PThread;
  if (!pool) throw new Error('tfjs-backend-wasm internals changed: no PThread pool');
  for (const worker of [...(pool.runningWorkers ?? []), ...(pool.unusedWorkers ?? [])]) worker.unref?.();
}
