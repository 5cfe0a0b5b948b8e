import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { STDERR_CAPTURE_ADDON } from './tf-startup-log.js';

/**
 * Builds the stderr-capture addon (tf-startup-log.ts) beside the tfjs-node
 * binding with the C compiler node-gyp just used. Optional: without Node's
 * headers or a compiler, TensorFlow's start-up lines stay visible, nothing
 * else changes, so a failure is reported, not thrown.
 */
export async function buildStderrCapture(packageDir: string): Promise<string> {
  const include = join(dirname(process.execPath), '..', 'include', 'node');
  if (!existsSync(join(include, 'node_api.h'))) return `not built: no Node headers in ${include}; TensorFlow's start-up lines will show`;
  const source = fileURLToPath(new URL('./native/stderr-capture.c', import.meta.url));
  const out = join(packageDir, 'lib', 'napi-v8', STDERR_CAPTURE_ADDON);
  try {
    await promisify(execFile)(process.env.CC ?? 'cc', ['-shared', '-fPIC', '-O2', `-I${include}`, source, '-o', out]);
  } catch (error) {
    return `not built (${(error as Error).message.split('\n')[0]}); TensorFlow's start-up lines will show`;
  }
  return `built ${out}`;
}
