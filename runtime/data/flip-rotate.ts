import type { Pixels } from './pixels.js';

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
 * torchvision's RandomRotation calls, bit for bit: counter-clockwise by
 * `degrees` about the image centre: each output pixel centre is mapped back
 * through the inverse matrix (coefficients rounded to 15 decimals, then
 * 16.16 fixed point) to the nearest source pixel; pixels from outside stay
 * black. (PIL transposes exact multiples of 90 instead, which a uniform
 * angle never is.)
 */
export function rotateNearest(image: Pixels, degrees: number): Pixels {
  const { width, height, data } = image;
  const angle = ((degrees % 360) + 360) % 360;
  if (angle === 0) return { width, height, data: data.slice() };
  const radians = -angle * (Math.PI / 180);
  const round15 = (v: number) => Number(v.toFixed(15));
  const a = round15(Math.cos(radians));
  const b = round15(Math.sin(radians));
  const d = round15(-Math.sin(radians));
  const e = round15(Math.cos(radians));
  const cx = width / 2;
  const cy = height / 2;
  const c = a * -cx + b * -cy + cx;
  const f = d * -cx + e * -cy + cy;
  const fix = (v: number) => Math.floor(v * 65536 + 0.5);
  const a0 = fix(a);
  const a1 = fix(b);
  const a3 = fix(d);
  const a4 = fix(e);
  let rowX = fix(c + b * 0.5 + a * 0.5);
  let rowY = fix(f + e * 0.5 + d * 0.5);
  const out = new Uint8Array(data.length);
  for (let y = 0; y < height; y++) {
    let xx = rowX;
    let yy = rowY;
    for (let x = 0; x < width; x++, xx += a0, yy += a3) {
      const sx = Math.floor(xx / 65536);
      const sy = Math.floor(yy / 65536);
      if (sx < 0 || sx >= width || sy < 0 || sy >= height) continue;
      const from = (sy * width + sx) * 3;
      const to = (y * width + x) * 3;
      out[to] = data[from];
      out[to + 1] = data[from + 1];
      out[to + 2] = data[from + 2];
    }
    rowX += a1;
    rowY += a4;
  }
  return { width, height, data: out };
}
