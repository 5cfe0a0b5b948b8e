import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkConvGradientPaths, fastestPaths } from '../../../runtime/backend/conv-gradient-check.js';
import {
  CONV_PATHS_RECORD,
  DEFAULT_CONV_PATHS,
  readConvGradientPaths,
  setConvGradientPaths,
  type ConvGradientPaths,
} from '../../../runtime/backend/conv-gradient-paths.js';
import { selectBackend } from '../../../runtime/backend/select-backend.js';
import * as tf from '../../../runtime/backend/tf.js';
import { composedConv2d } from '../../../runtime/models/composed-conv.js';

const tensorflow = await selectBackend('tensorflow').then(
  () => null,
  (error: unknown) => (error as Error).message,
);
const relative = (a: tf.Tensor, b: tf.Tensor): number => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] / tf.max(tf.abs(b)).dataSync()[0]);
const COMBINATIONS: ConvGradientPaths[] = (['composed', 'native'] as const).flatMap((input) => (['composed', 'native'] as const).map((filter) => ({ input, filter })));

/** Gradients of composedConv2d against tf.conv2d's own, for one padding form. */
function gradientErrors(kernel: number, stride: number, padding: 'same' | 'valid', size: [number, number]): [number, number] {
  return tf.tidy(() => {
    const x = tf.randomNormal([2, ...size, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    const filter = tf.randomNormal([kernel, kernel, 3, 4], 0, 1, 'float32', 2) as tf.Tensor4D;
    const out = tf.conv2d(x, filter, stride, padding);
    const weight = tf.randomNormal(out.shape, 0, 1, 'float32', 3);
    const loss = (conv: (a: tf.Tensor4D, b: tf.Tensor4D) => tf.Tensor) => (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(conv(a as tf.Tensor4D, b as tf.Tensor4D), weight));
    const ours = tf.grads(loss((a, b) => composedConv2d(a, b, stride, padding)))([x, filter]);
    const stock = tf.grads(loss((a, b) => tf.conv2d(a, b, stride, padding)))([x, filter]);
    return [relative(ours[0], stock[0]), relative(ours[1], stock[1])];
  });
}

const SHAPES: [number, number, 'same' | 'valid', [number, number]][] = [
  [3, 1, 'same', [8, 9]],
  [1, 1, 'same', [7, 6]],
  [7, 1, 'same', [11, 10]],
  [3, 2, 'valid', [9, 8]],
  [1, 2, 'valid', [8, 9]],
];

describe('convolution-gradient paths', () => {
  afterEach(() => setConvGradientPaths(DEFAULT_CONV_PATHS));

  it.each(SHAPES)('composed gradients of kernel %i stride %i %s on %o equal tf.conv2d (cpu)', async (kernel, stride, padding, size) => {
    await selectBackend('cpu');
    setConvGradientPaths({ input: 'composed', filter: 'composed' });
    const [dx, dw] = gradientErrors(kernel, stride, padding, size);
    expect(dx).toBeLessThan(1e-5);
    expect(dw).toBeLessThan(1e-5);
  });

  it.skipIf(tensorflow !== null)(`every native/composed combination gives tf.conv2d's gradients on tensorflow${tensorflow ? ` (skipped: ${tensorflow})` : ''}`, async () => {
    await selectBackend('tensorflow');
    for (const paths of COMBINATIONS) {
      setConvGradientPaths(paths);
      for (const [kernel, stride, padding, size] of SHAPES) {
        const [dx, dw] = gradientErrors(kernel, stride, padding, size);
        expect(dx, `${paths.input}/${paths.filter} kernel ${kernel} stride ${stride} ${padding}`).toBeLessThan(1e-5);
        expect(dw, `${paths.input}/${paths.filter} kernel ${kernel} stride ${stride} ${padding}`).toBeLessThan(1e-5);
      }
    }
  });

  it('reads the record for the oneDNN setting in force, and nothing from a missing or broken one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'conv-paths-'));
    mkdirSync(join(dir, 'lib', 'napi-v8'), { recursive: true });
    expect(readConvGradientPaths(dir, false)).toBeNull();
    const file = join(dir, 'lib', 'napi-v8', CONV_PATHS_RECORD);
    writeFileSync(file, '{broken');
    expect(readConvGradientPaths(dir, true)).toBeNull();
    const on = { paths: { input: 'native', filter: 'native' }, stepSeconds: { 'native/native': 0.2 } };
    const off = { paths: { input: 'composed', filter: 'native' }, stepSeconds: { 'composed/native': 0.3 } };
    writeFileSync(file, JSON.stringify({ oneDnnOn: on, oneDnnOff: off }));
    expect(readConvGradientPaths(dir, true)).toEqual({ input: 'native', filter: 'native' });
    expect(readConvGradientPaths(dir, false)).toEqual({ input: 'composed', filter: 'native' });
    writeFileSync(file, JSON.stringify({ oneDnnOff: off }));
    expect(readConvGradientPaths(dir, true)).toBeNull();
    writeFileSync(file, JSON.stringify({ oneDnnOff: { paths: { input: 'fast', filter: 'native' } } }));
    expect(readConvGradientPaths(dir, false)).toBeNull();
  });

  it('picks the combination with the shortest median step, keeping the default within 5%', () => {
    expect(fastestPaths({ 'composed/composed': 0.5, 'composed/native': 0.4, 'native/composed': 0.45, 'native/native': 0.41 })).toEqual({ input: 'composed', filter: 'native' });
    expect(fastestPaths({ 'native/native': 0.1, 'composed/native': 0.4 })).toEqual({ input: 'native', filter: 'native' });
    // The oneDNN-on figures measured here (contended): 1459 ms is within 5% of the default's 1514.
    expect(fastestPaths({ 'composed/composed': 2.03, 'composed/native': 1.514, 'native/composed': 2.05, 'native/native': 1.459 })).toEqual(DEFAULT_CONV_PATHS);
    expect(fastestPaths({ 'composed/composed': 1.27, 'composed/native': 1.567, 'native/composed': 9.8, 'native/native': 10.3 })).toEqual({ input: 'composed', filter: 'composed' });
    expect(() => fastestPaths({})).toThrow(/no convolution-gradient combination/);
  });

  // Two child processes (oneDNN off and on), one timed round of four steps each: about 15 s on two idle cores.
  it.skipIf(tensorflow !== null)(`setup's check times every combination with oneDNN off and on and records the fastest${tensorflow ? ` (skipped: ${tensorflow})` : ''}`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conv-check-'));
    mkdirSync(join(dir, 'lib', 'napi-v8'), { recursive: true });
    process.env.SWEEPSPEC_CONV_CHECK_ROUNDS = '1';
    try {
      const record = await checkConvGradientPaths(process.cwd(), dir, true);
      for (const [oneDnn, measured] of [[false, record.oneDnnOff], [true, record.oneDnnOn]] as const) {
        expect(Object.keys(measured!.stepSeconds).sort()).toEqual(['composed/composed', 'composed/native', 'native/composed', 'native/native']);
        expect(Object.values(measured!.stepSeconds).every((s) => s > 0)).toBe(true);
        expect(measured!.paths).toEqual(fastestPaths(measured!.stepSeconds));
        expect(readConvGradientPaths(dir, oneDnn)).toEqual(measured!.paths);
      }
    } finally {
      delete process.env.SWEEPSPEC_CONV_CHECK_ROUNDS;
    }
  }, 300_000);
});
