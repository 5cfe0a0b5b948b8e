/**
 * Entry of a `--jobs N` worker process (forked with tsx's loader): executes
 * one run at a time for the parent sweep, which holds the lease and writes the
 * record. Ctrl-C reaches the worker too; it aborts the run like the parent's
 * 'abort' message does, and a parent that disappears aborts it as well.
 */
import { pathToFileURL } from 'node:url';
import { classifyFailure } from './classify-failure.js';
import type { RunExecutor } from './executor.js';
import type { ExecutorModule, FromWorker, ToWorker } from './worker-protocol.js';

let controller: AbortController | null = null;
const executors = new Map<string, RunExecutor>();
const send = (message: FromWorker) => process.send?.(message);

async function executorFor(spec: ExecutorModule): Promise<RunExecutor> {
  const key = `${spec.module}#${spec.factory}`;
  let executor = executors.get(key);
  if (!executor) {
    const url = spec.module.startsWith('file:') ? spec.module : pathToFileURL(spec.module).href;
    const module = (await import(url)) as Record<string, (options: unknown) => RunExecutor>;
    executor = module[spec.factory](spec.options);
    executors.set(key, executor);
  }
  return executor;
}

process.on('message', (message: ToWorker) => {
  if (message.type === 'abort') {
    controller?.abort();
    return;
  }
  controller = new AbortController();
  const signal = controller.signal;
  void (async () => {
    try {
      const executor = await executorFor(message.executor);
      const execution = await executor({
        ...message.task,
        signal,
        report: (event) => send({ type: 'event', event }),
        updateRecord: async (patch) => {
          send({ type: 'record', patch });
        },
      });
      send({ type: 'result', execution });
    } catch (error) {
      send({ type: 'error', failure: classifyFailure(error) });
    }
  })();
});

for (const name of ['SIGINT', 'SIGTERM'] as const) process.on(name, () => controller?.abort());
process.on('disconnect', () => {
  controller?.abort();
  setTimeout(() => process.exit(130), 30_000).unref();
});
