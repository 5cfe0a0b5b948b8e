import { type ChildProcess, fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { RunExecution, RunExecutor } from './executor.js';
import type { ExecutorModule, FromWorker, ToWorker } from './worker-protocol.js';

const WORKER_ENTRY = fileURLToPath(new URL('./worker.ts', import.meta.url));
/** tsx's loader by absolute URL: a bare `--import tsx` would resolve from the user's working directory. */
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export interface WorkerPool {
  /** A RunExecutor that runs each job in an idle worker process (forked on first need). */
  readonly executor: RunExecutor;
  /** Ends idle workers; `force` kills busy ones too (second Ctrl-C). */
  close(options?: { force?: boolean }): void;
}

/** Up to `size` worker processes running `executor` (see worker.ts); each runs one job at a time. */
export function createWorkerPool(options: { size: number; executor: ExecutorModule }): WorkerPool {
  const idle: ChildProcess[] = [];
  const all = new Set<ChildProcess>();

  const take = (): ChildProcess => {
    const reused = idle.pop();
    if (reused) return reused;
    const child = fork(WORKER_ENTRY, [], { execArgv: ['--import', TSX_LOADER], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    all.add(child);
    child.on('exit', () => {
      all.delete(child);
      const at = idle.indexOf(child);
      if (at >= 0) idle.splice(at, 1);
    });
    return child;
  };

  const executor: RunExecutor = (job) =>
    new Promise<RunExecution>((resolve, reject) => {
      const child = take();
      const { signal, report, updateRecord, ...task } = job;
      const onAbort = () => child.connected && child.send({ type: 'abort' } satisfies ToWorker);
      const finish = () => {
        child.off('message', onMessage);
        child.off('exit', onExit);
        signal.removeEventListener('abort', onAbort);
      };
      const onMessage = (message: FromWorker) => {
        if (message.type === 'event') report(message.event);
        else if (message.type === 'record') void updateRecord(message.patch);
        else {
          finish();
          idle.push(child);
          if (message.type === 'result') resolve(message.execution);
          else reject(Object.assign(new Error(message.failure.message), { code: message.failure.code }));
        }
      };
      const onExit = (code: number | null, exitSignal: NodeJS.Signals | null) => {
        finish();
        if (signal.aborted) resolve({ status: 'interrupted' });
        else reject(Object.assign(new Error(`the worker process ended (${exitSignal ?? `exit code ${code}`}) while training`), { code: 'WORKER_EXITED' }));
      };
      child.on('message', onMessage);
      child.on('exit', onExit);
      signal.addEventListener('abort', onAbort, { once: true });
      child.send({ type: 'run', task, executor: options.executor } satisfies ToWorker);
      if (signal.aborted) onAbort();
    });

  return {
    executor,
    close: ({ force = false } = {}) => {
      for (const child of all) {
        if (force) child.kill('SIGKILL');
        else if (idle.includes(child)) child.disconnect();
      }
    },
  };
}
