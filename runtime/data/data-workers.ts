import { Worker } from 'node:worker_threads';
import { coreBudget } from '../backend/core-budget.js';
import { DataError, type DataErrorCode } from './data-error.js';
import type { ReplyMessage, WorkerError } from './data-worker.js';
import { runImageTask, type ImageTask, type ImageTaskResult } from './image-task.js';

/**
 * The data workers: threads that decode, resize, augment and normalise images
 * in parallel with each other and with training on the main thread. How many:
 * `SWEEPSPEC_DATA_WORKERS` (0 runs everything on the main thread, like
 * PyTorch's num_workers=0), else one per core the process may use (its core
 * budget: a Slurm task's or Kubernetes pod's CPUs, else the machine's; see
 * core-budget.ts), at most MAX_AUTO_WORKERS. Threads start on first
 * need and never keep the process alive when idle. Each holds up to
 * TASKS_PER_WORKER tasks, so the next task is already waiting when one ends
 * instead of a round trip through the main thread later (and, for formats
 * sharp decodes on a libvips thread, the worker resizes one image while the
 * other decodes).
 * Memory stays bounded because the batch source asks for at most a few
 * batches ahead (prefetch.ts); idle workers cost about 10 MB each.
 */
export const MAX_AUTO_WORKERS = 16;
export const TASKS_PER_WORKER = 2;
const ENTRY = new URL('./data-worker-entry.mjs', import.meta.url);

export function dataWorkerCount(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.SWEEPSPEC_DATA_WORKERS;
  if (text === undefined || text.trim() === '' || text.trim() === 'auto') return Math.min(coreBudget(env).cores, MAX_AUTO_WORKERS);
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > 256) {
    throw new Error(`SWEEPSPEC_DATA_WORKERS must be auto or an integer from 0 to 256, not ${JSON.stringify(text)}`);
  }
  return value;
}

interface Slot {
  readonly worker: Worker;
  readonly jobs: Map<number, Job>;
}

interface Job {
  readonly id: number;
  readonly task: ImageTask;
  readonly transfer: ArrayBuffer[];
  readonly resolve: (result: ImageTaskResult) => void;
  readonly reject: (error: unknown) => void;
}

export class DataWorkers {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 0;

  constructor(readonly size: number) {}

  /**
   * Runs `task` on a free worker (or inline when the pool has none). With
   * `moveBytes`, the file's bytes go to the worker moved, not copied, when they
   * own their whole buffer (as fs.readFile's do): the caller must not use them
   * afterwards.
   */
  run(task: ImageTask, moveBytes = false): Promise<ImageTaskResult> {
    if (this.size === 0) return runImageTask(task);
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, task, transfer: moveBytes ? movableBytes(task) : [], resolve, reject });
      this.dispatch();
    });
  }

  /** Starts every worker and waits until each has answered (benchmarks time work, not thread start-up). */
  async warmUp(): Promise<void> {
    const pixel = { width: 1, height: 1, sourceWidth: 1, sourceHeight: 1, data: new Uint8Array(3) };
    await Promise.all(Array.from({ length: this.size }, () => this.run({ file: 'warm-up', imageSize: 1, base: { image: pixel }, augment: null, normalize: false })));
  }

  /** Ends every worker (tests; the process may also just exit). */
  async close(): Promise<void> {
    const slots = this.slots.splice(0);
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const slot = this.freeSlot();
      if (!slot) return;
      const job = this.queue.shift()!;
      slot.jobs.set(job.id, job);
      slot.worker.ref();
      slot.worker.postMessage({ id: job.id, task: job.task }, job.transfer);
    }
  }

  /** An idle worker, else a new one while the pool is not full, else the least busy one with room. */
  private freeSlot(): Slot | null {
    const idle = this.slots.find((s) => s.jobs.size === 0);
    if (idle) return idle;
    if (this.slots.length < this.size) return this.start();
    let best: Slot | null = null;
    for (const slot of this.slots) if (slot.jobs.size < TASKS_PER_WORKER && (!best || slot.jobs.size < best.jobs.size)) best = slot;
    return best;
  }

  private start(): Slot {
    const worker = new Worker(ENTRY, { name: 'sweepspec-data' });
    const slot: Slot = { worker, jobs: new Map() };
    worker.unref();
    worker.on('message', (reply: ReplyMessage) => {
      const job = slot.jobs.get(reply.id);
      if (!job) return;
      slot.jobs.delete(reply.id);
      if (slot.jobs.size === 0) worker.unref();
      if (reply.ok) job.resolve(reply.result);
      else job.reject(reviveError(reply.error));
      this.dispatch();
    });
    // A worker that dies (out of memory, a crash in native code) fails its tasks; a fresh one takes its place.
    const fail = (error: unknown) => {
      const at = this.slots.indexOf(slot);
      if (at >= 0) this.slots.splice(at, 1);
      const jobs = [...slot.jobs.values()];
      slot.jobs.clear();
      for (const job of jobs) job.reject(new Error(`a data worker stopped while preparing ${job.task.file}: ${error instanceof Error ? error.message : String(error)}`));
      this.dispatch();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`exit code ${code}`)));
    this.slots.push(slot);
    return slot;
  }
}

/** The buffer of a task's file bytes when they own all of it (then it can be moved to a worker). */
function movableBytes(task: ImageTask): ArrayBuffer[] {
  if (!('bytes' in task.base)) return [];
  const { bytes } = task.base;
  const buffer = bytes.buffer;
  return buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength ? [buffer] : [];
}

function reviveError(error: WorkerError): Error {
  if (error.code !== null) return new DataError(error.code as DataErrorCode, error.message, { file: error.file });
  return Object.assign(new Error(error.message), error.errno ? { code: error.errno } : {});
}

let shared: DataWorkers | null = null;

/** The process's data workers (created on first use, sized by dataWorkerCount). */
export function dataWorkers(): DataWorkers {
  shared ??= new DataWorkers(dataWorkerCount());
  return shared;
}

/** Replaces the process's pool (the benchmark compares worker counts in one process); closes the old one. */
export async function resetDataWorkers(size?: number): Promise<DataWorkers> {
  const old = shared;
  shared = new DataWorkers(size ?? dataWorkerCount());
  await old?.close();
  return shared;
}
