/**
 * Which kernels compute a convolution's gradients on the native tensorflow
 * backend. TensorFlow's own Conv2DBackpropInput was 56% of a resnet18 step
 * with Eigen (composed forward convolutions won by far), while with oneDNN,
 * on CPUs with AVX-512 and AMX, its backprop kernels may be the faster ones.
 * So `sweepspec setup native` times both on this machine, with oneDNN on
 * and off (conv-gradient-check.ts), and records the winners beside the
 * binding; the loader reads the record for the oneDNN setting in force.
 * Without a record: composed input gradients, native filter gradients (the
 * paths measured fastest on the AMD machines).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const CONV_PATHS_RECORD = 'sweepspec-conv-gradients.json';

export type GradientKernel = 'native' | 'composed';

export interface ConvGradientPaths {
  readonly input: GradientKernel;
  readonly filter: GradientKernel;
}

export const DEFAULT_CONV_PATHS: ConvGradientPaths = { input: 'composed', filter: 'native' };

/** One oneDNN setting's measurement: median step seconds per combination, and the chosen paths. */
export interface ConvPathsMeasurement {
  readonly paths: ConvGradientPaths;
  readonly stepSeconds: Readonly<Record<string, number>>;
}

export interface ConvPathsRecord {
  readonly oneDnnOn?: ConvPathsMeasurement;
  readonly oneDnnOff?: ConvPathsMeasurement;
  readonly case?: string;
  readonly checked?: string;
}

let current: ConvGradientPaths = DEFAULT_CONV_PATHS;

/** The paths composedConv2d uses now. */
export function convGradientPaths(): ConvGradientPaths {
  return current;
}

/** Set by the loader from the record, and by the measuring child between steps. */
export function setConvGradientPaths(paths: ConvGradientPaths): void {
  current = paths;
}

export function isConvGradientPaths(value: unknown): value is ConvGradientPaths {
  const kernels: readonly unknown[] = ['native', 'composed'];
  const v = value as Partial<ConvGradientPaths> | null;
  return typeof v === 'object' && v !== null && kernels.includes(v.input) && kernels.includes(v.filter);
}

/** The recorded paths for a oneDNN setting, or null without a usable record. */
export function readConvGradientPaths(packageDir: string, oneDnn: boolean): ConvGradientPaths | null {
  const file = join(packageDir, 'lib', 'napi-v8', CONV_PATHS_RECORD);
  if (!existsSync(file)) return null;
  try {
    const record = JSON.parse(readFileSync(file, 'utf8')) as ConvPathsRecord;
    const paths = (oneDnn ? record.oneDnnOn : record.oneDnnOff)?.paths;
    return isConvGradientPaths(paths) ? paths : null;
  } catch {
    return null;
  }
}
