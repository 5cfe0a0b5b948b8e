import type { Box, Pixels } from './pixels.js';
import { wasmResampleKernel } from './wasm-kernels.js';

/**
 * PIL's Image.resize(size, BILINEAR) for 8-bit RGB, bit for bit (Pillow's
 * Resample.c): a triangle filter widened by the scale factor when shrinking
 * (antialiasing), weights normalised per output pixel and rounded to 22-bit
 * fixed point, a horizontal pass rounded to uint8, then a vertical pass.
 * torchvision's Resize and RandomResizedCrop call exactly this on PIL images.
 *
 * Every output pixel depends only on its own coefficients, so `pilResizeCrop`
 * computes just the pixels a following crop keeps (CenterCrop keeps about
 * 60% of a Resize(256) of a 4:3 photo), with the same values as resizing
 * everything and cropping afterwards. Sums are exact integers (below 2^31),
 * so the order in which the passes accumulate does not change a bit; the
 * vertical pass runs row by row over contiguous memory for speed, and both keep
 * their sums in int32.
 *
 * The passes run in WebAssembly SIMD (wasm-kernels.ts) where it is
 * available, the JavaScript ones below otherwise; both give the same bytes
 * (the JavaScript passes are the reference the tests hold the others to).
 */
const PRECISION_BITS = 22;
const HALF = 1 << (PRECISION_BITS - 1);
const MAX_SUM = 255 << PRECISION_BITS;

export interface Coefficients {
  /** Taps per output pixel (the row length of `weights`). */
  readonly size: number;
  /** Per output pixel: first input index and tap count. */
  readonly bounds: Int32Array;
  readonly weights: Int32Array;
}

/** Coefficients of output pixels [from, from + count) of an inSize -> outSize resize. */
function coefficients(inSize: number, outSize: number, from: number, count: number): Coefficients {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = filterScale;
  const size = Math.ceil(support) * 2 + 1;
  const bounds = new Int32Array(count * 2);
  const weights = new Int32Array(count * size);
  const raw = new Float64Array(size);
  for (let i = 0; i < count; i++) {
    const center = (from + i + 0.5) * scale;
    const xmin = Math.max(0, Math.trunc(center - support + 0.5));
    const xmax = Math.min(inSize, Math.trunc(center + support + 0.5)) - xmin;
    let total = 0;
    for (let x = 0; x < xmax; x++) {
      const t = Math.abs((x + xmin - center + 0.5) / filterScale);
      raw[x] = t < 1 ? 1 - t : 0;
      total += raw[x];
    }
    for (let x = 0; x < xmax; x++) {
      const w = total !== 0 ? raw[x] / total : raw[x];
      weights[i * size + x] = w < 0 ? Math.trunc(-0.5 + w * (1 << PRECISION_BITS)) : Math.trunc(0.5 + w * (1 << PRECISION_BITS));
    }
    bounds[i * 2] = xmin;
    bounds[i * 2 + 1] = xmax;
  }
  return { size, bounds, weights };
}

function clip8(value: number): number {
  if (value >= MAX_SUM) return 255;
  if (value <= 0) return 0;
  return value >> PRECISION_BITS;
}

export function pilResizeBilinear(image: Pixels, width: number, height: number): Pixels {
  if (image.width === width && image.height === height) return image;
  return pilResizeCrop(image, width, height, { left: 0, top: 0, width, height });
}

/**
 * Both passes of a resize: the pixels of `box` (in the resized image) from
 * input rows [firstRow, lastRow), into `target`. A pass whose coefficients
 * are null is skipped (never both).
 */
export type ResampleKernel = (
  image: Pixels,
  horizontal: Coefficients | null,
  vertical: Coefficients | null,
  firstRow: number,
  lastRow: number,
  box: Box,
  target: Uint8Array,
) => void;

/** `cropPixels(pilResizeBilinear(image, width, height), box)`, computing only the kept pixels. */
export function pilResizeCrop(image: Pixels, width: number, height: number, box: Box, out?: Uint8Array, kernel: ResampleKernel = wasmResampleKernel() ?? javascriptKernel): Pixels {
  const target = out ?? new Uint8Array(box.width * box.height * 3);
  if (image.width === width && image.height === height) return cropPixels(image, box, target);
  // PIL skips a pass whose size does not change; so do we (the values differ otherwise: no uint8 rounding).
  const horizontal = width !== image.width ? coefficients(image.width, width, box.left, box.width) : null;
  const vertical = height !== image.height ? coefficients(image.height, height, box.top, box.height) : null;
  const firstRow = vertical ? vertical.bounds[0] : box.top;
  const lastRow = vertical ? vertical.bounds[(box.height - 1) * 2] + vertical.bounds[(box.height - 1) * 2 + 1] : box.top + box.height;
  kernel(image, horizontal, vertical, firstRow, lastRow, box, target);
  return { width: box.width, height: box.height, data: target };
}

/** The reference passes, in JavaScript. */
export const javascriptKernel: ResampleKernel = (image, horizontal, vertical, firstRow, lastRow, box, target) => {
  if (!vertical) {
    horizontalPass(image, horizontal!, firstRow, lastRow, target);
    return;
  }
  let rows: Pixels;
  let rowOffset: number;
  if (horizontal) {
    rows = { width: box.width, height: lastRow - firstRow, data: new Uint8Array(box.width * (lastRow - firstRow) * 3) };
    horizontalPass(image, horizontal, firstRow, lastRow, rows.data);
    rowOffset = firstRow;
  } else {
    rows = cropPixels(image, { left: box.left, top: 0, width: box.width, height: image.height });
    rowOffset = 0;
  }
  verticalPass(rows, vertical, rowOffset, target);
};

/**
 * Horizontal pass over input rows [first, last) into `out` (one row per input row).
 * Sums are int32 (`| 0`): exact, since they stay below 2^31, and V8 then keeps
 * every step in integer registers.
 */
function horizontalPass(image: Pixels, c: Coefficients, first: number, last: number, out: Uint8Array): void {
  const source = image.data;
  const { bounds, weights, size } = c;
  const outWidth = bounds.length / 2;
  const rowBytes = image.width * 3;
  let o = 0;
  for (let y = first; y < last; y++) {
    const inRow = y * rowBytes;
    for (let xx = 0; xx < outWidth; xx++) {
      const xmax = bounds[xx * 2 + 1];
      let k = xx * size;
      let p = inRow + bounds[xx * 2] * 3;
      let s0 = HALF;
      let s1 = HALF;
      let s2 = HALF;
      for (let x = 0; x < xmax; x++, p += 3, k++) {
        const w = weights[k];
        s0 = (s0 + source[p] * w) | 0;
        s1 = (s1 + source[p + 1] * w) | 0;
        s2 = (s2 + source[p + 2] * w) | 0;
      }
      out[o] = clip8(s0);
      out[o + 1] = clip8(s1);
      out[o + 2] = clip8(s2);
      o += 3;
    }
  }
}

/** Vertical pass: each output row is a weighted sum of whole input rows (rows[y - rowOffset]). */
function verticalPass(rows: Pixels, c: Coefficients, rowOffset: number, out: Uint8Array): void {
  const { bounds, weights, size } = c;
  const stride = rows.width * 3;
  const source = rows.data;
  const sums = new Int32Array(stride);
  const outHeight = bounds.length / 2;
  for (let yy = 0; yy < outHeight; yy++) {
    sums.fill(HALF);
    const ymin = bounds[yy * 2] - rowOffset;
    const ymax = bounds[yy * 2 + 1];
    for (let y = 0; y < ymax; y++) {
      const w = weights[yy * size + y];
      const from = (ymin + y) * stride;
      for (let i = 0; i < stride; i++) sums[i] = (sums[i] + source[from + i] * w) | 0;
    }
    const o = yy * stride;
    for (let i = 0; i < stride; i++) out[o + i] = clip8(sums[i]);
  }
}

/** Copies a rectangle of RGB pixels (PIL's crop). */
export function cropPixels(image: Pixels, box: Box, out?: Uint8Array): Pixels {
  const target = out ?? new Uint8Array(box.width * box.height * 3);
  for (let y = 0; y < box.height; y++) {
    const from = ((box.top + y) * image.width + box.left) * 3;
    target.set(image.data.subarray(from, from + box.width * 3), y * box.width * 3);
  }
  return { width: box.width, height: box.height, data: target };
}

/** Crops a region of decoded pixels and resizes it to size x size (torchvision's resized_crop). */
export function cropAndResize(source: Pixels, crop: Box, size: number): Pixels {
  return pilResizeBilinear(cropPixels(source, crop), size, size);
}
