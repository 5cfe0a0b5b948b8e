/**
 * `setup native`'s measurement of the convolution-gradient kernels (see
 * conv-gradient-paths.ts): a child process per oneDNN setting that this
 * machine can run, each timing every combination of native and composed
 * input and filter gradients; the fastest combination per setting is
 * recorded beside the binding.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CONV_PATHS_RECORD, DEFAULT_CONV_PATHS, isConvGradientPaths, type ConvGradientPaths, type ConvPathsMeasurement, type ConvPathsRecord } from './conv-gradient-paths.js';

export const CHECK_CASE = 'resnet18 64 px batch 32 training step';

/** Median step seconds by "input/filter" combination, in a child with oneDNN on or off. */
async function timeCombinations(projectRoot: string, oneDnn: boolean): Promise<Record<string, number>> {
  const script = fileURLToPath(new URL('./conv-gradient-check-child.ts', import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script], {
    cwd: projectRoot,
    env: { ...process.env, TF_ENABLE_ONEDNN_OPTS: oneDnn ? '1' : '0', TF_CPP_MIN_LOG_LEVEL: '2' },
    timeout: 600_000,
  });
  return JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, number>;
}

/** How much faster than the default combination another must be to replace it: closer figures are drift, not a winner. */
export const MARGIN = 0.05;

/** The fastest combination of a measurement; the default one unless another beats it by more than MARGIN. */
export function fastestPaths(stepSeconds: Readonly<Record<string, number>>): ConvGradientPaths {
  const [best] = Object.entries(stepSeconds).sort((a, b) => a[1] - b[1]);
  if (!best) throw new Error('no convolution-gradient combination was timed');
  const fallback = stepSeconds[`${DEFAULT_CONV_PATHS.input}/${DEFAULT_CONV_PATHS.filter}`];
  if (fallback !== undefined && best[1] >= fallback * (1 - MARGIN)) return DEFAULT_CONV_PATHS;
  const [input, filter] = best[0].split('/');
  const paths = { input, filter };
  if (!isConvGradientPaths(paths)) throw new Error(`unknown combination ${best[0]}`);
  return paths;
}

export async function checkConvGradientPaths(projectRoot: string, packageDir: string, oneDnnRuns: boolean): Promise<ConvPathsRecord> {
  const measure = async (oneDnn: boolean): Promise<ConvPathsMeasurement> => {
    const stepSeconds = await timeCombinations(projectRoot, oneDnn);
    return { paths: fastestPaths(stepSeconds), stepSeconds };
  };
  const record: ConvPathsRecord = {
    case: CHECK_CASE,
    oneDnnOff: await measure(false),
    // Only where oneDNN survived its check: elsewhere it kills the process.
    ...(oneDnnRuns ? { oneDnnOn: await measure(true) } : {}),
    checked: new Date().toISOString(),
  };
  writeFileSync(join(packageDir, 'lib', 'napi-v8', CONV_PATHS_RECORD), `${JSON.stringify(record, null, 2)}\n`);
  return record;
}

/** One line per oneDNN setting for the setup log. */
export function describeConvPaths(record: ConvPathsRecord): string[] {
  const line = (label: string, m: ConvPathsMeasurement | undefined): string[] =>
    m
      ? [
          `convolution gradients with oneDNN ${label}: input ${m.paths.input}, filter ${m.paths.filter} (${CHECK_CASE}: ${Object.entries(m.stepSeconds)
            .map(([k, v]) => `${k} ${(v * 1000).toFixed(0)} ms`)
            .join(', ')})`,
        ]
      : [];
  return [...line('off', record.oneDnnOff), ...line('on', record.oneDnnOn)];
}
