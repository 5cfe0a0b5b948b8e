import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { buildStderrCapture } from '../../../runtime/backend/build-stderr-capture.js';
import { filterStartupLog, wantsTensorFlowLog } from '../../../runtime/backend/tf-startup-log.js';

// The start-up lines of TensorFlow 2.21 with oneDNN on, as tfjs-node prints them.
const STARTUP = [
  'WARNING: All log messages before absl::InitializeLog() is called are written to STDERR',
  'I0000 00:00:1796208661.737253   24788 port.cc:153] oneDNN custom operations are on. You may see slightly different numerical results.',
  'I0000 00:00:1796208661.809350   24788 cpu_feature_guard.cc:227] This TensorFlow binary is optimized to use available CPU instructions in performance-critical operations.',
  'To enable the following instructions: AVX2 AVX512F FMA, in other operations, rebuild TensorFlow with the appropriate compiler flags.',
  'E0000 00:00:1796208661.9   24788 cuda_dnn.cc:8] Unable to register cuDNN factory',
  'plain text from elsewhere',
  '',
].join('\n');

describe("TensorFlow's start-up log", () => {
  it('keeps error records and foreign text, drops INFO and WARNING records with their continuation lines', () => {
    expect(filterStartupLog(STARTUP)).toBe('E0000 00:00:1796208661.9   24788 cuda_dnn.cc:8] Unable to register cuDNN factory\nplain text from elsewhere\n');
    expect(filterStartupLog(STARTUP.split('\n').slice(0, 4).join('\n'))).toBe('');
  });

  it('is shown when the user asks: SWEEPSPEC_TF_LOG=1 or TF_CPP_MIN_LOG_LEVEL below 2', () => {
    expect(wantsTensorFlowLog({})).toBe(false);
    expect(wantsTensorFlowLog({ TF_CPP_MIN_LOG_LEVEL: '2' })).toBe(false);
    expect(wantsTensorFlowLog({ TF_CPP_MIN_LOG_LEVEL: '0' })).toBe(true);
    expect(wantsTensorFlowLog({ SWEEPSPEC_TF_LOG: '1' })).toBe(true);
  });

  const tfjsNode = (() => {
    try {
      return dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-node/package.json'));
    } catch {
      return null;
    }
  })();
  const built = tfjsNode !== null && existsSync(join(tfjsNode, 'lib', 'napi-v8', 'tfjs_binding.node'));
  // About 10 s: a compile and two processes loading the native backend (as the main process and each --jobs worker do). Only where `setup native` built it.
  it.skipIf(!built)('leaves out the start-up lines of the native backend in a fresh process, and shows them when asked', async () => {
    const scratch = await mkdtemp(join(tmpdir(), 'tf-log-'));
    try {
      // The addon goes to a scratch package folder, not into the shared install; the backend loads from the install.
      const packageDir = join(scratch, 'tfjs-node');
      await mkdir(join(packageDir, 'lib', 'napi-v8'), { recursive: true });
      expect(await buildStderrCapture(packageDir)).toMatch(/^built /);
      const script = [
        `import { withStartupLogFiltered } from ${JSON.stringify(join(import.meta.dirname, '..', '..', '..', 'runtime', 'backend', 'tf-startup-log.ts'))};`,
        "process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';",
        `await withStartupLogFiltered(${JSON.stringify(packageDir)}, () => import('@tensorflow/tfjs-node'));`,
        "process.stderr.write('loaded\\n');",
      ].join('\n');
      const run = (env: NodeJS.ProcessEnv) =>
        promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { env: { ...process.env, TF_ENABLE_ONEDNN_OPTS: '1', ...env } });
      const quiet = await run({ TF_CPP_MIN_LOG_LEVEL: undefined, SWEEPSPEC_TF_LOG: undefined });
      expect(quiet.stderr).toBe('loaded\n');
      const asked = await run({ SWEEPSPEC_TF_LOG: '1' });
      expect(asked.stderr).toMatch(/oneDNN custom operations are on[\s\S]*loaded\n$/);
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }, 120_000);
});
