/**
 * Transposes a float32 tensor between two places of the wasm heap in
 * JavaScript: the output in order, input strides precomputed, the two
 * innermost output axes tiled by 32 so that swapping the last two input axes
 * reads whole cache lines. WasmCalls uses it for 2-D transposes only, where
 * tfjs-backend-wasm 4.22's Transpose kernel was slower (6.9 against 10.2 ms
 * for [25088, 64]); for 4-D permutations wasm's kernel was faster.
 */
const TILE = 32;

export function heapTranspose(heap: Float32Array, from: number, to: number, shape: readonly number[], perm: readonly number[]): void {
  if (shape.length > 4 || perm.length !== shape.length) throw new Error(`heapTranspose supports rank <= 4, got shape ${shape.join('x')} perm ${perm.join(',')}`);
  // Pad to rank 4 with leading unit axes.
  const lead = 4 - shape.length;
  const dims = [...Array<number>(lead).fill(1), ...shape];
  const order = [...Array.from({ length: lead }, (_, i) => i), ...perm.map((p) => p + lead)];
  const inStrides = [dims[1] * dims[2] * dims[3], dims[2] * dims[3], dims[3], 1];
  const [d0, d1, d2, d3] = order.map((axis) => dims[axis]);
  const [s0, s1, s2, s3] = order.map((axis) => inStrides[axis]);
  let out = to;
  for (let i0 = 0; i0 < d0; i0++) {
    for (let i1 = 0; i1 < d1; i1++) {
      const base = from + i0 * s0 + i1 * s1;
      if (s3 === 1) {
        // The innermost axis stays innermost: rows of d3 contiguous values.
        for (let i2 = 0; i2 < d2; i2++, out += d3) heap.copyWithin(out, base + i2 * s2, base + i2 * s2 + d3);
        continue;
      }
      for (let t2 = 0; t2 < d2; t2 += TILE) {
        const e2 = Math.min(d2, t2 + TILE);
        for (let t3 = 0; t3 < d3; t3 += TILE) {
          const e3 = Math.min(d3, t3 + TILE);
          for (let i2 = t2; i2 < e2; i2++) {
            const row = out + i2 * d3;
            const source = base + i2 * s2;
            for (let i3 = t3; i3 < e3; i3++) heap[row + i3] = heap[source + i3 * s3];
          }
        }
      }
      out += d2 * d3;
    }
  }
}
