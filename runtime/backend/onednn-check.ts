/**
 * Whether TensorFlow's oneDNN kernels may run on this machine. They make
 * training on the tensorflow backend about 1.25x faster, but TF 2.21's
 * brgemm convolutions divide by the CPU's cache sizes, and where a virtual
 * machine hides them (no /sys/devices/system/cpu/cpu0/cache, as on these
 * sandboxes) the process dies with SIGFPE on resnet50's 1x1 convolutions.
 * A crash cannot be caught in-process, so `sweepspec setup native` runs a
 * training step of every architecture in a child process with oneDNN on and
 * records the outcome beside the binding; the loader reads it. Without a
 * record (tfjs-node installed by npm) oneDNN stays off.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ONEDNN_RECORD = 'sweepspec-onednn.json';

export interface OneDnnVerdict {
  readonly enabled: boolean;
  readonly reason: string;
}

/** The recorded verdict for a tfjs-node package directory, or null when none was recorded. */
export function readOneDnnVerdict(packageDir: string): OneDnnVerdict | null {
  const file = join(packageDir, 'lib', 'napi-v8', ONEDNN_RECORD);
  if (!existsSync(file)) return null;
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as Partial<OneDnnVerdict>;
    return typeof value.enabled === 'boolean' ? { enabled: value.enabled, reason: String(value.reason ?? '') } : null;
  } catch {
    return null;
  }
}

/** Runs the check in a child process and records the verdict beside the binding. */
export async function checkOneDnn(projectRoot: string, packageDir: string): Promise<OneDnnVerdict> {
  const script = fileURLToPath(new URL('./onednn-check-child.ts', import.meta.url));
  const outcome = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      cwd: projectRoot,
      env: { ...process.env, TF_ENABLE_ONEDNN_OPTS: '1', TF_CPP_MIN_LOG_LEVEL: '2' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
  const verdict: OneDnnVerdict =
    outcome.code === 0
      ? { enabled: true, reason: 'a training step of every architecture ran with oneDNN' }
      : {
          enabled: false,
          reason: outcome.signal
            ? `a training step with oneDNN died with ${outcome.signal}${outcome.signal === 'SIGFPE' ? ' (a divide error inside oneDNN)' : ''}`
            : `a training step with oneDNN failed: ${outcome.stderr.trim().split('\n').pop() ?? `exit ${outcome.code}`}`,
        };
  writeFileSync(join(packageDir, 'lib', 'napi-v8', ONEDNN_RECORD), `${JSON.stringify({ ...verdict, checked: new Date().toISOString() }, null, 2)}\n`);
  return verdict;
}
