import v8 from 'node:v8';
import vm from 'node:vm';
import { parentPort } from 'node:worker_threads';
import sharp from 'sharp';
import { DataError } from './data-error.js';
import { runImageTask, type ImageTask } from './image-task.js';

/**
 * A data worker thread (data-workers.ts starts them): runs one image task at
 * a time and answers with its result, or with the error as plain data. JPEGs
 * decode on this thread (jpeg-decoder.ts), anything else on one libvips
 * thread: the parallelism comes from the workers, so N workers use N cores,
 * no more.
 */
sharp.concurrency(1);
// libvips would keep up to 50 MB of decoded images per process for reuse; nothing here is decoded twice.
sharp.cache(false);

/**
 * Images decoded by sharp (every format but plain JPEG) and the file bytes
 * and results each task moves arrive as external buffers, which V8 collects
 * only after 64 MB of them have piled up per thread: with every worker holding
 * that much garbage, the process would exceed its cache budget by far more
 * than the cache. The worker therefore collects itself once 16 MB of external
 * memory have been added since its last collection (about every 17 photos of
 * 640 x 480 through sharp, about 1 ms per photo; JPEGs decoded here leave
 * about a quarter of that garbage). The
 * threshold is relative: what stays external (the WebAssembly kernels'
 * memory, libraries' buffers) must not make every task collect. `gc` is V8's
 * own, exposed the documented way for a context created after setting the
 * flag; V8's heap statistics are read, not process.memoryUsage(), which costs
 * ten times more.
 */
const EXTERNAL_GARBAGE_LIMIT = 16 * 2 ** 20;
v8.setFlagsFromString('--expose-gc');
// A full collection (15-25 ms here): young-generation ones cost a millisecond but leave the
// buffers that outlived two of them to V8's own, much later, full collections (+15 MiB of peak RSS).
const collect = vm.runInNewContext('gc') as () => void;
const externalBytes = () => (v8.getHeapStatistics() as v8.HeapInfo & { external_memory: number }).external_memory;
let externalAfterCollection: number | null = null;

function collectIfNeeded(): void {
  // Measured one task after a collection: V8 frees dead buffers' memory on a background thread.
  if (externalAfterCollection === null) {
    externalAfterCollection = externalBytes();
    return;
  }
  if (externalBytes() - externalAfterCollection <= EXTERNAL_GARBAGE_LIMIT) return;
  collect();
  externalAfterCollection = null;
}

export interface TaskMessage {
  readonly id: number;
  readonly task: ImageTask;
}

export type ReplyMessage =
  | { readonly id: number; readonly ok: true; readonly result: Awaited<ReturnType<typeof runImageTask>> }
  | { readonly id: number; readonly ok: false; readonly error: WorkerError };

/** An error as plain data: a DataError's code, or the system error code of a failed read (ENOENT, EACCES) as `errno`. */
export interface WorkerError {
  readonly code: string | null;
  readonly message: string;
  readonly file?: string;
  readonly errno?: string;
}

parentPort!.on('message', async ({ id, task }: TaskMessage) => {
  try {
    const result = await runImageTask(task);
    // Moved, not copied. (Shared buffers cannot be moved, and need not be: they are shared.)
    const buffers = [result.decoded?.data.buffer, result.pixels?.data.buffer, result.floats?.buffer].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
    parentPort!.postMessage({ id, ok: true, result } satisfies ReplyMessage, [...new Set(buffers)]);
    collectIfNeeded();
  } catch (error) {
    const code = error instanceof DataError ? error.code : null;
    const message = error instanceof Error ? error.message : String(error);
    const errno = (error as NodeJS.ErrnoException | null)?.code;
    const file = error instanceof DataError ? error.file : undefined;
    parentPort!.postMessage({ id, ok: false, error: { code, message, file, errno: code === null && typeof errno === 'string' ? errno : undefined } } satisfies ReplyMessage);
  }
});
