import type { Pixels } from './decode-image.js';

/**
 * PIL's Image.resize(size, BILINEAR) for 8-bit RGB, bit for bit (Pillow's
 * Resample.c): a triangle filter widened by the scale factor when shrinking
 * (antialiasing), weights normalised per output pixel and rounded to 22-bit
 * fixed point, a horizontal pass rounded to uint8, then a vertical pass.
 * torchvision's Resize and RandomResizedCrop call exactly this on PIL images.
 */
const PRECISION_BITS = 22;
const HALF = 1 << (PRECISION_BITS - 1);

interface Coefficients {
  readonly size: number;
  readonly bounds: Int32Array;
  readonly weights: Int32Array;
}

function coefficients(inSize: number, outSize: number): Coefficients {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = filterScale;
  const size = Math.ceil(support) * 2 + 1;
  const bounds = new Int32Array(outSize * 2);
  const weights = new Int32Array(outSize * size);
  const raw = new Float64Array(size);
  for (let xx = 0; xx < outSize; xx++) {
    const center = (xx + 0.5) * scale;
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
      weights[xx * size + x] = w < 0 ? Math.trunc(-0.5 + w * (1 << PRECISION_BITS)) : Math.trunc(0.5 + w * (1 << PRECISION_BITS));
    }
    bounds[xx * 2] = xmin;
    bounds[xx * 2 + 1] = xmax;
  }
  return { size, bounds, weights };
}

const MAX_SUM = 255 << PRECISION_BITS;

/** Sums stay below 2^31 (weights sum to 2^22, pixels to 255), so int32 shifts are exact. */
function clip8(value: number): number {
  if (value >= MAX_SUM) return 255;
  if (value <= 0) return 0;
  return value >> PRECISION_BITS;
}

export function pilResizeBilinear(image: Pixels, width: number, height: number): Pixels {
  if (image.width === width && image.height === height) return image;
  const horizontal = coefficients(image.width, width);
  const vertical = coefficients(image.height, height);
  const first = vertical.bounds[0];
  const last = vertical.bounds[(height - 1) * 2] + vertical.bounds[(height - 1) * 2 + 1];
  let source = image.data;
  let sourceWidth = image.width;
  let rowOffset = 0;
  if (width !== image.width) {
    const rows = last - first;
    const temp = new Uint8Array(width * rows * 3);
    const { bounds, weights, size } = horizontal;
    for (let y = 0; y < rows; y++) {
      const inRow = (y + first) * image.width * 3;
      for (let xx = 0; xx < width; xx++) {
        const xmin = bounds[xx * 2];
        const xmax = bounds[xx * 2 + 1];
        const k = xx * size;
        let s0 = HALF, s1 = HALF, s2 = HALF;
        for (let x = 0; x < xmax; x++) {
          const w = weights[k + x];
          const p = inRow + (x + xmin) * 3;
          s0 += source[p] * w;
          s1 += source[p + 1] * w;
          s2 += source[p + 2] * w;
        }
        const o = (y * width + xx) * 3;
        temp[o] = clip8(s0);
        temp[o + 1] = clip8(s1);
        temp[o + 2] = clip8(s2);
      }
    }
    source = temp;
    sourceWidth = width;
    rowOffset = first;
  }
  if (height === image.height) return { width, height, data: source };
  const out = new Uint8Array(width * height * 3);
  const { bounds, weights, size } = vertical;
  const stride = sourceWidth * 3;
  for (let yy = 0; yy < height; yy++) {
    const ymin = bounds[yy * 2] - rowOffset;
    const ymax = bounds[yy * 2 + 1];
    const k = yy * size;
    for (let xx = 0; xx < width; xx++) {
      let s0 = HALF, s1 = HALF, s2 = HALF;
      let p = ymin * stride + xx * 3;
      for (let y = 0; y < ymax; y++, p += stride) {
        const w = weights[k + y];
        s0 += source[p] * w;
        s1 += source[p + 1] * w;
        s2 += source[p + 2] * w;
      }
      const o = (yy * width + xx) * 3;
      out[o] = clip8(s0);
      out[o + 1] = clip8(s1);
      out[o + 2] = clip8(s2);
    }
  }
  return { width, height, data: out };
}

/** Copies a rectangle of RGB pixels (PIL's crop). */
export function cropPixels(image: Pixels, box: { left: number; top: number; width: number; height: number }): Pixels {
  const out = new Uint8Array(box.width * box.height * 3);
  for (let y = 0; y < box.height; y++) {
    const from = ((box.top + y) * image.width + box.left) * 3;
    out.set(image.data.subarray(from, from + box.width * 3), y * box.width * 3);
  }
  return { width: box.width, height: box.height, data: out };
}
