import type { Pixels } from './decode-image.js';

/** Mirrors RGB pixels left to right (torchvision's hflip). */
export function flipHorizontal(image: Pixels): Pixels {
  const { width, height, data } = image;
  const out = new Uint8Array(data.length);
  for (let y = 0; y < height; y++) {
    const row = y * width * 3;
    for (let x = 0; x < width; x++) {
      const from = row + (width - 1 - x) * 3;
      const to = row + x * 3;
      out[to] = data[from];
      out[to + 1] = data[from + 1];
      out[to + 2] = data[from + 2];
    }
  }
  return { width, height, data: out };
}

/**
 * PIL's Image.rotate(angle, NEAREST, expand=False, fillcolor=0), which
 * torchvision's RandomRotation calls: counter-clockwise by `degrees` about the
 * image centre, each output pixel centre mapped back through the inverse
 * affine matrix and sampled nearest, pixels from outside filled with black.
 */
export function rotateNearest(image: Pixels, degrees: number): Pixels {
  const { width, height, data } = image;
  const radians = (-degrees * Math.PI) / 180;
  const a = Math.cos(radians);
  const b = Math.sin(radians);
  const d = -Math.sin(radians);
  const e = Math.cos(radians);
  const cx = width / 2;
  const cy = height / 2;
  const c = a * -cx + b * -cy + cx;
  const f = d * -cx + e * -cy + cy;
  const out = new Uint8Array(data.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const xin = a * (x + 0.5) + b * (y + 0.5) + c;
      const yin = d * (x + 0.5) + e * (y + 0.5) + f;
      if (xin < 0 || yin < 0) continue;
      const sx = Math.floor(xin);
      const sy = Math.floor(yin);
      if (sx >= width || sy >= height) continue;
      const from = (sy * width + sx) * 3;
      const to = (y * width + x) * 3;
      out[to] = data[from];
      out[to + 1] = data[from + 1];
      out[to + 2] = data[from + 2];
    }
  }
  return { width, height, data: out };
}
