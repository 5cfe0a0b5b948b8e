import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '../../../runtime/backend/tf.js';
import { selectBackend } from '../../../runtime/backend/select-backend.js';
import { Random } from '../../../runtime/random.js';

type Pad = 'same' | 'valid' | number[][];

interface ConvCase {
  readonly n: number;
  readonly size: readonly [number, number];
  readonly kernel: number;
  readonly stride: number;
  readonly ci: number;
  readonly co: number;
  readonly pad: Pad;
}

const explicit = (t: number, b: number, l: number, r: number): number[][] => [[0, 0], [t, b], [l, r], [0, 0]];

/** Shapes chosen to hit odd/even sizes, trimmed tails and every padding form. */
function convCases(): ConvCase[] {
  const random = new Random(7);
  const cases: ConvCase[] = [];
  for (const kernel of [1, 3, 7]) {
    for (const stride of [1, 2]) {
      const half = (kernel - 1) / 2;
      const pads: Pad[] = ['same', 'valid', explicit(half, half, half, half), explicit(half, half + 1, 0, 1)];
      for (const pad of pads) {
        const h = kernel + 2 + random.int(8);
        const w = kernel + 1 + random.int(9);
        cases.push({ n: 1 + random.int(3), size: [h, w], kernel, stride, ci: 1 + random.int(5), co: 1 + random.int(6), pad });
      }
    }
  }
  return cases;
}

function tensor(shape: number[], seed: number): tf.Tensor {
  const random = new Random(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: size }, () => random.uniform(-1, 1)), shape);
}

async function onBackend(name: 'cpu' | 'wasm', f: () => tf.Tensor): Promise<Float32Array> {
  await selectBackend(name);
  const out = f();
  const values = (await out.data()) as Float32Array;
  out.dispose();
  return values;
}

function relativeError(actual: Float32Array, expected: Float32Array): number {
  expect(actual.length).toBe(expected.length);
  let diff = 0;
  let scale = 1e-12;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return diff / scale;
}

async function compare(f: () => tf.Tensor): Promise<number> {
  const expected = await onBackend('cpu', f);
  const actual = await onBackend('wasm', f);
  return relativeError(actual, expected);
}

describe('wasm training kernels match the cpu backend', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  const cases = convCases();
  it.each(cases.map((c, i) => [i, c] as const))('conv case %i %o', async (i, c) => {
    const xShape = [c.n, c.size[0], c.size[1], c.ci];
    const info = tf.backend_util.computeConv2DInfo(xShape as [number, number, number, number], [c.kernel, c.kernel, c.ci, c.co], c.stride, 1, c.pad as never);
    const dyShape = [c.n, info.outHeight, info.outWidth, c.co];
    const attrs = { strides: [c.stride, c.stride], pad: c.pad, dataFormat: 'NHWC', dimRoundingMode: undefined };
    // Both compositions (the kernel picks one per shape), and the GEMM summed over one-image chunks.
    const filterErrors = [];
    for (const variant of [{ path: 'gemm' }, { path: 'composed' }, { path: 'gemm', maxPatchBytes: 1 }]) {
      const error = await compare(() =>
        tf.engine().runKernel('Conv2DBackpropFilter', { x: tensor(xShape, 10 + i), dy: tensor(dyShape, 20 + i) }, {
          ...attrs,
          ...variant,
          filterShape: [c.kernel, c.kernel, c.ci, c.co],
        } as never) as tf.Tensor,
      );
      filterErrors.push(error);
    }
    const filterError = Math.max(...filterErrors);
    const inputError = await compare(() =>
      tf.engine().runKernel('Conv2DBackpropInput', { dy: tensor(dyShape, 20 + i), filter: tensor([c.kernel, c.kernel, c.ci, c.co], 30 + i) }, {
        ...attrs,
        inputShape: xShape,
      } as never) as tf.Tensor,
    );
    expect(filterError).toBeLessThan(1e-4);
    expect(inputError).toBeLessThan(1e-4);
  });

  it('MaxPoolGrad routes each window to its first maximum, also when the max is <= 0', async () => {
    // Ties (zeros after ReLU) and negative windows (-inf padding, raw activations).
    const x = () => tf.relu(tensor([2, 9, 8, 3], 5)).sub(tf.scalar(0.25));
    const f = () =>
      tf.tidy(() => {
        const input = x() as tf.Tensor4D;
        const padded = tf.pad(input, [[0, 0], [1, 1], [1, 1], [0, 0]], -Infinity);
        return tf.grad((v: tf.Tensor) => tf.maxPool(v as tf.Tensor4D, 3, 2, 'valid').mul(tensor([2, 5, 4, 3], 6)).sum())(padded);
      });
    expect(await compare(f)).toBeLessThan(1e-6);
  });
});
