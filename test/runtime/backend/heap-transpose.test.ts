import { describe, expect, it } from 'vitest';
import { heapTranspose } from '../../../runtime/backend/wasm-kernels/heap-transpose.js';
import { Random } from '../../../runtime/random.js';

/** The reference: out[index permuted] = in[index], element by element. */
function reference(values: Float32Array, shape: number[], perm: number[]): Float32Array {
  const outShape = perm.map((axis) => shape[axis]);
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const out = new Float32Array(values.length);
  const index = new Array<number>(outShape.length).fill(0);
  for (let o = 0; o < out.length; o++) {
    out[o] = values[index.reduce((sum, v, i) => sum + v * strides[perm[i]], 0)];
    for (let axis = outShape.length - 1; axis >= 0 && ++index[axis] === outShape[axis]; axis--) index[axis] = 0;
  }
  return out;
}

function permutations(n: number): number[][] {
  if (n === 1) return [[0]];
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
}

describe('heapTranspose', () => {
  const random = new Random(3);
  // Every permutation of ranks 1-4; sizes 1, 3 and 5, and one axis past the 32-wide tiles (33 or 70).
  const cases = [1, 2, 3, 4].flatMap((rank) =>
    permutations(rank).map((perm) => {
      const shape = Array.from({ length: rank }, () => [1, 3, 5][random.int(3)]);
      shape[random.int(rank)] = [33, 70][random.int(2)];
      return { perm, shape };
    }),
  );
  it.each(cases)('matches the reference for shape $shape perm $perm', ({ shape, perm }) => {
    const size = shape.reduce((a, b) => a * b, 1);
    // Input at an offset inside a larger heap, output after it: offsets must be honoured.
    const heap = new Float32Array(7 + 2 * size);
    for (let i = 0; i < size; i++) heap[7 + i] = random.uniform(-1, 1);
    heapTranspose(heap, 7, 7 + size, shape, perm);
    expect(heap.subarray(7 + size)).toEqual(reference(heap.slice(7, 7 + size), shape, perm));
  });

  it('refuses rank 5', () => {
    expect(() => heapTranspose(new Float32Array(1), 0, 0, [1, 1, 1, 1, 1], [0, 1, 2, 3, 4])).toThrow(/rank <= 4/);
  });
});
