/**
 * im2col on the wasm heap: the rows of a convolution's patch matrix,
 *   cols[(b, oh, ow), (kh, kw, ci)] = xpad[b, oh*sh + kh*dh, ow*sw + kw*dw, ci],
 * for images [first, first + count) of x, with zeros where the window reads
 * padding. One window row of a tap is ci contiguous floats (KW*ci when
 * dilation is 1), so each row of the matrix is KH (or KH*KW) block copies;
 * they are `copyWithin` calls on one view of the heap, which allocate nothing
 * (a `set` of a `subarray` allocates a view per block, several times slower).
 */
export interface PatchGeometry {
  readonly height: number;
  readonly width: number;
  readonly inChannels: number;
  readonly filterHeight: number;
  readonly filterWidth: number;
  readonly outHeight: number;
  readonly outWidth: number;
  readonly strideHeight: number;
  readonly strideWidth: number;
  readonly dilationHeight: number;
  readonly dilationWidth: number;
  readonly top: number;
  readonly left: number;
}

/**
 * Writes `count` images' patch rows into `heap` at float offset `to`.
 * `from` is the float offset of x ([n, height, width, inChannels]) in the same heap.
 */
export function im2col(heap: Float32Array, from: number, to: number, first: number, count: number, g: PatchGeometry): void {
  const { height, width, inChannels: ci, filterHeight: kh, filterWidth: kw, outHeight, outWidth } = g;
  const rowLength = kh * kw * ci;
  const image = height * width * ci;
  const contiguousRow = g.dilationWidth === 1;
  heap.fill(0, to, to + count * outHeight * outWidth * rowLength);
  let row = to;
  for (let b = first; b < first + count; b++) {
    const base = from + b * image;
    for (let oh = 0; oh < outHeight; oh++) {
      const h0 = oh * g.strideHeight - g.top;
      for (let ow = 0; ow < outWidth; ow++, row += rowLength) {
        const w0 = ow * g.strideWidth - g.left;
        // Taps kw in [lo, hi) read inside the image along the width.
        const lo = w0 >= 0 ? 0 : Math.ceil(-w0 / g.dilationWidth);
        const hi = Math.min(kw, Math.floor((width - 1 - w0) / g.dilationWidth) + 1);
        if (hi <= lo) continue;
        for (let i = 0; i < kh; i++) {
          const h = h0 + i * g.dilationHeight;
          if (h < 0 || h >= height) continue;
          const source = base + (h * width + w0) * ci;
          const target = row + i * kw * ci;
          if (contiguousRow) {
            heap.copyWithin(target + lo * ci, source + lo * ci, source + hi * ci);
          } else {
            for (let j = lo; j < hi; j++) {
              const at = source + j * g.dilationWidth * ci;
              heap.copyWithin(target + j * ci, at, at + ci);
            }
          }
        }
      }
    }
  }
}
