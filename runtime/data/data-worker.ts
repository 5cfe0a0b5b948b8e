import { parentPort } from 'node:worker_threads';
import sharp from 'sharp';
import { DataError } from './data-error.js';
import { runImageTask, type ImageTask } from './image-task.js';

/**
 * A data worker thread (data-workers.ts starts them): runs one image task at
 * a time and answers with its result, or with the error as plain data. One
 * libvips thread per decode: the parallelism comes from the workers, so N
 * workers use N cores, no more.
 */
sharp.concurrency(1);

export interface TaskMessage {
  readonly id: number;
  readonly task: ImageTask;
}

export type ReplyMessage =
  | { readonly id: number; readonly ok: true; readonly result: Awaited<ReturnType<typeof runImageTask>> }
  | { readonly id: number; readonly ok: false; readonly error: { readonly code: string | null; readonly message: string; readonly file?: string } };

parentPort!.on('message', async ({ id, task }: TaskMessage) => {
  try {
    const result = await runImageTask(task);
    parentPort!.postMessage({ id, ok: true, result } satisfies ReplyMessage);
  } catch (error) {
    const code = error instanceof DataError ? error.code : null;
    const message = error instanceof Error ? error.message : String(error);
    parentPort!.postMessage({ id, ok: false, error: { code, message, file: error instanceof DataError ? error.file : undefined } } satisfies ReplyMessage);
  }
});
