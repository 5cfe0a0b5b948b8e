/**
 * The two kubectl calls of `submit --kubernetes --apply`: the state of earlier
 * submissions' Jobs, and `kubectl apply -f -` with the manifests on stdin. The
 * user's kubeconfig, context and credentials apply as for any kubectl call.
 */
import { execFile, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export type ApplyResult =
  | { readonly ok: true; readonly output: string }
  | { readonly ok: false; readonly code: 'KUBECTL_MISSING' | 'KUBECTL_FAILED'; readonly message: string };

/** The first executable `name` on PATH, or null. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | null {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return null;
}

export const KUBECTL_MISSING_MESSAGE =
  '--apply needs kubectl on PATH, and there is none: install kubectl and point it at the cluster, ' +
  'or write the manifests with --out FILE and apply them where kubectl is (kubectl apply -f FILE)';

export function kubectlApply(manifests: string, env: NodeJS.ProcessEnv = process.env): Promise<ApplyResult> {
  const kubectl = findOnPath('kubectl', env);
  if (!kubectl) return Promise.resolve({ ok: false, code: 'KUBECTL_MISSING', message: KUBECTL_MISSING_MESSAGE });
  return new Promise((resolve) => {
    const child = spawn(kubectl, ['apply', '-f', '-'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error) => resolve({ ok: false, code: 'KUBECTL_FAILED', message: `could not start ${kubectl}: ${error.message}` }));
    child.on('close', (code) => {
      if (code === 0) resolve({ ok: true, output: stdout });
      else resolve({ ok: false, code: 'KUBECTL_FAILED', message: `kubectl apply failed (exit ${code}): ${(stderr || stdout).trim()}` });
    });
    child.stdin.on('error', () => undefined); // kubectl may exit before reading everything; its exit code says why
    child.stdin.end(manifests);
  });
}

export type GetJsonResult<T> = { readonly ok: true; readonly value: T | null } | { readonly ok: false; readonly message: string };

/** `kubectl get ... -o json`; an object that does not exist (deleted, expired) is `value: null`. */
export function kubectlGetJson<T>(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<GetJsonResult<T>> {
  const kubectl = findOnPath('kubectl', env);
  if (!kubectl) return Promise.resolve({ ok: false, message: KUBECTL_MISSING_MESSAGE });
  const what = `kubectl get ${args.join(' ')}`;
  return new Promise((resolve) => {
    execFile(kubectl, ['get', ...args, '-o', 'json'], { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (!error) {
        try {
          return resolve({ ok: true, value: JSON.parse(stdout) as T });
        } catch {
          return resolve({ ok: false, message: `${what} printed something that is not JSON` });
        }
      }
      if (/NotFound|not found/.test(stderr)) return resolve({ ok: true, value: null });
      resolve({ ok: false, message: `${what} failed: ${(stderr || error.message).trim()}` });
    });
  });
}

/** The Job `name` in `namespace`, or null when it does not exist. */
export async function kubectlGetJob(name: string, namespace: string, env: NodeJS.ProcessEnv = process.env) {
  return kubectlGetJson<{ status?: Record<string, unknown> }>(['job', name, '-n', namespace], env);
}
