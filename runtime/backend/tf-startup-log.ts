/**
 * TensorFlow's C++ start-up lines ("All log messages before
 * absl::InitializeLog() is called ...", the oneDNN notice, CPU feature hints)
 * are noise for sweepspec users, in the main process and in every `--jobs`
 * worker. TF_CPP_MIN_LOG_LEVEL=2 (set unless the user set it) hides what
 * TensorFlow logs later, but libtensorflow's static initialisation logs
 * through absl before reading it, so the native import runs with fd 2
 * captured by a small addon `sweepspec setup native` builds
 * (native/stderr-capture.c) and only error records are passed on. The user
 * sees everything with SWEEPSPEC_TF_LOG=1 or TF_CPP_MIN_LOG_LEVEL below 2.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

export const STDERR_CAPTURE_ADDON = 'sweepspec-stderr-capture.node';

interface StderrCapture {
  begin(): [number, number];
  end(saved: number, capture: number): string;
}

/** Whether the user asked for TensorFlow's C++ logs. */
export function wantsTensorFlowLog(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.SWEEPSPEC_TF_LOG === '1') return true;
  const level = env.TF_CPP_MIN_LOG_LEVEL;
  return level !== undefined && level !== '' && Number(level) < 2;
}

/** Error and fatal absl records (with their continuation lines) and text that is not absl's; INFO and WARNING records go. */
export function filterStartupLog(text: string): string {
  const kept: string[] = [];
  let keep = true;
  for (const line of text.split('\n')) {
    if (line.startsWith('WARNING: All log messages before absl::InitializeLog()')) {
      keep = false;
      continue;
    }
    const record = /^([IWEF])\d{4} /.exec(line);
    if (record) keep = record[1] === 'E' || record[1] === 'F';
    if (keep && line !== '') kept.push(line);
  }
  return kept.length > 0 ? `${kept.join('\n')}\n` : '';
}

function loadCapture(packageDir: string): StderrCapture | null {
  const file = join(packageDir, 'lib', 'napi-v8', STDERR_CAPTURE_ADDON);
  if (!existsSync(file)) return null;
  try {
    return createRequire(import.meta.url)(file) as StderrCapture;
  } catch {
    return null; // built for another Node: the start-up lines show, nothing else changes
  }
}

/** Runs the native import with its start-up log filtered (unless the user wants it, or the addon is not built). */
export async function withStartupLogFiltered<T>(packageDir: string, load: () => Promise<T>, show = wantsTensorFlowLog()): Promise<T> {
  const capture = show ? null : loadCapture(packageDir);
  if (!capture) return load();
  const [saved, fd] = capture.begin();
  let captured = '';
  try {
    return await load();
  } finally {
    captured = capture.end(saved, fd);
    const kept = filterStartupLog(captured);
    if (kept) process.stderr.write(kept);
  }
}
