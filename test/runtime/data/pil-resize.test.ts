import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { cropPixels, javascriptKernel, pilResizeBilinear, pilResizeCrop } from '../../../runtime/data/pil-resize.js';
import { wasmResampleKernel } from '../../../runtime/data/wasm-kernels.js';

/**
 * A random resize case from fast-check's draws: a w x h image of seeded
 * bytes, an output size (some cases keep one axis, and PIL then skips that
 * pass, or both) and a crop box inside it.
 */
function resizeCase(w: number, h: number, outW: number, outH: number, a: number, b: number, c: number, d: number, seed: number) {
  const data = new Uint8Array(w * h * 3);
  let state = seed >>> 0;
  for (let i = 0; i < data.length; i++) data[i] = (state = (Math.imul(state, 1103515245) + 12345) >>> 0) >>> 24;
  const width = seed % 5 === 0 ? w : outW;
  const height = seed % 7 === 0 ? h : outH;
  const boxWidth = 1 + (a % width);
  const boxHeight = 1 + (b % height);
  const box = { left: c % (width - boxWidth + 1), top: d % (height - boxHeight + 1), width: boxWidth, height: boxHeight };
  return { image: { width: w, height: h, data }, width, height, box };
}

// The parity tests (transform-parity.test.ts) pin pilResizeBilinear to PIL's pixels; these
// pin the crop-aware path, which computes only the kept pixels, to resize-then-crop.
describe('pilResizeCrop', () => {
  test('equals resizing the whole image and cropping, bit for bit (down, up, one axis, none)', () => {
    const sizes = fc.integer({ min: 1, max: 90 });
    fc.assert(
      fc.property(sizes, sizes, sizes, sizes, fc.nat(), fc.nat(), fc.nat(), fc.nat(), fc.integer(), (w, h, outW, outH, a, b, c, d, seed) => {
        const { image, width, height, box } = resizeCase(w, h, outW, outH, a, b, c, d, seed);
        const expected = cropPixels(pilResizeBilinear(image, width, height), box);
        const got = pilResizeCrop(image, width, height, box);
        expect([got.width, got.height]).toEqual([box.width, box.height]);
        expect(Buffer.from(got.data).equals(Buffer.from(expected.data))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  test('writes into a given buffer, shared memory included', () => {
    const image = { width: 4, height: 2, data: Uint8Array.from({ length: 24 }, (_, i) => i * 10) };
    const out = new Uint8Array(new SharedArrayBuffer(2 * 2 * 3));
    const result = pilResizeCrop(image, 2, 2, { left: 0, top: 0, width: 2, height: 2 }, out);
    expect(result.data).toBe(out);
    expect(Array.from(out)).toEqual(Array.from(pilResizeBilinear(image, 2, 2).data));
  });

  test('the WebAssembly kernel gives the JavaScript reference\'s bytes (every pass combination, memory growth)', () => {
    const wasm = wasmResampleKernel();
    // Node 20 always has WebAssembly SIMD: a null here is a broken build of the module, not a missing feature.
    expect(wasm).not.toBeNull();
    const sizes = fc.integer({ min: 1, max: 700 });
    fc.assert(
      fc.property(sizes, sizes, sizes, sizes, fc.nat(), fc.nat(), fc.nat(), fc.nat(), fc.integer(), (w, h, outW, outH, a, b, c, d, seed) => {
        const { image, width, height, box } = resizeCase(w, h, outW, outH, a, b, c, d, seed);
        // Saturated regions exercise clip8 at both ends.
        if (seed % 3 === 0) image.data.fill(255, 0, image.data.length >> 1);
        const expected = pilResizeCrop(image, width, height, box, undefined, javascriptKernel);
        const got = pilResizeCrop(image, width, height, box, undefined, wasm!);
        expect(Buffer.from(got.data).equals(Buffer.from(expected.data))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
