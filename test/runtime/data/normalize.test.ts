import { describe, expect, test } from 'vitest';
import { normalizeByTable, normalizeInto } from '../../../runtime/data/normalize.js';
import { wasmNormalizeKernel } from '../../../runtime/data/wasm-kernels.js';

// transform-parity.test.ts pins the floats to PyTorch's; this pins the WebAssembly kernel to the table.
describe('normalizeInto', () => {
  test('the WebAssembly kernel gives the table\'s floats bit for bit: every byte in every channel, every tail length', () => {
    expect(wasmNormalizeKernel()).not.toBeNull();
    for (const pixelsCount of [1, 2, 3, 4, 5, 7, 256, 257, 1000]) {
      const pixels = Uint8Array.from({ length: pixelsCount * 3 }, (_, i) => (i * 37 + (i >> 8)) & 255);
      for (const offset of [0, 5]) {
        const expected = new Float32Array(offset + pixels.length).fill(-7);
        const got = new Float32Array(offset + pixels.length).fill(-7);
        normalizeByTable(pixels, expected, offset);
        normalizeInto(pixels, got, offset);
        expect(Buffer.from(got.buffer).equals(Buffer.from(expected.buffer))).toBe(true);
      }
    }
    // Each byte value in each channel position.
    const all = Uint8Array.from({ length: 256 * 3 }, (_, i) => Math.floor(i / 3));
    const expected = new Float32Array(all.length);
    const got = new Float32Array(all.length);
    normalizeByTable(all, expected, 0);
    normalizeInto(all, got, 0);
    expect(Buffer.from(got.buffer).equals(Buffer.from(expected.buffer))).toBe(true);
  });
});
