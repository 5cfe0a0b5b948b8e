import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/**
 * Python's TensorBoard for the tests that read sweepspec's files with it: the
 * virtual environment `.ci/run` makes (`python3 -m venv .venv-tensorboard &&
 * .venv-tensorboard/bin/pip install tensorboard`), or the one named by
 * SWEEPSPEC_TENSORBOARD_VENV. Where it is missing the tests skip and say why,
 * except under CI=true or SWEEPSPEC_REQUIRE_TENSORBOARD=1 (.ci/run), where they fail.
 */
const REPO = join(import.meta.dirname, '..', '..');
const VENV = process.env.SWEEPSPEC_TENSORBOARD_VENV ?? join(REPO, '.venv-tensorboard');

export const TENSORBOARD = existsSync(join(VENV, 'bin', 'tensorboard'))
  ? { venv: VENV, tensorboard: join(VENV, 'bin', 'tensorboard'), python: join(VENV, 'bin', 'python') }
  : null;

export const TENSORBOARD_MISSING = TENSORBOARD
  ? null
  : `no TensorBoard at ${VENV}/bin/tensorboard; make it with: python3 -m venv .venv-tensorboard && .venv-tensorboard/bin/pip install tensorboard (as .ci/run does), or set SWEEPSPEC_TENSORBOARD_VENV`;

/** CI must not skip: the tests run and fail with the reason instead. */
export const SKIP_TENSORBOARD = TENSORBOARD_MISSING !== null && process.env.CI !== 'true' && process.env.SWEEPSPEC_REQUIRE_TENSORBOARD !== '1';

export interface TensorboardServer {
  readonly url: string;
  readonly pid: number;
  get(path: string): Promise<unknown>;
  post(path: string, body: unknown): Promise<unknown>;
  /** Ends the process this helper started (SIGTERM, then SIGKILL), and only that one. */
  stop(): Promise<void>;
}

/** Starts `tensorboard --logdir DIR` on a free port of 127.0.0.1 and waits until it answers. */
export async function startTensorboard(logdir: string): Promise<TensorboardServer> {
  if (!TENSORBOARD) throw new Error(TENSORBOARD_MISSING!);
  const port = await freePort();
  const child = spawn(TENSORBOARD.tensorboard, ['--logdir', logdir, '--host', '127.0.0.1', '--port', String(port), '--reload_interval', '1'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr!.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  const server: TensorboardServer = {
    url,
    pid: child.pid!,
    get: (path) => request(`${url}${path}`),
    post: (path, body) =>
      request(`${url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-XSRF-Protected': '1' }, body: JSON.stringify(body) }),
    stop: () => stop(child),
  };
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`tensorboard exited with ${child.exitCode}: ${log}`);
    if (await server.get('/data/runs').then(() => true, () => false)) return server;
    if (Date.now() > deadline) {
      await stop(child);
      throw new Error(`tensorboard did not answer on ${url} within 120 s: ${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Polls `read` until `ready` holds of its result (TensorBoard loads files in the background). */
export async function waitFor<T>(read: () => Promise<T>, ready: (value: T) => boolean, what: string, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ready(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last answer: ${JSON.stringify(value).slice(0, 1000)}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function request(url: string, init?: RequestInit): Promise<unknown> {
  const response = await fetch(url, init);
  if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${url}: HTTP ${response.status}: ${(await response.text()).slice(0, 500)}`);
  return response.json();
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
