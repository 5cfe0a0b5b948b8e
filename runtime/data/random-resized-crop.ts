import type { Random } from '../random.js';
import { pythonRound } from './python-round.js';

export interface CropBox {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/**
 * torchvision's RandomResizedCrop.get_params: up to 10 tries of an area
 * fraction uniform in `scale` and a log-uniform aspect ratio in `ratio`,
 * keeping the first box that fits; otherwise the central crop clamped to the
 * ratio range. Draws come from `random` in torchvision's order.
 */
export function randomResizedCropBox(
  width: number,
  height: number,
  scale: readonly [number, number],
  ratio: readonly [number, number],
  random: Random,
): CropBox {
  const area = width * height;
  const logRatio = [Math.log(ratio[0]), Math.log(ratio[1])];
  for (let attempt = 0; attempt < 10; attempt++) {
    const targetArea = area * random.uniform(scale[0], scale[1]);
    const aspect = Math.exp(random.uniform(logRatio[0], logRatio[1]));
    const w = pythonRound(Math.sqrt(targetArea * aspect));
    const h = pythonRound(Math.sqrt(targetArea / aspect));
    if (w > 0 && w <= width && h > 0 && h <= height) {
      const top = random.int(height - h + 1);
      const left = random.int(width - w + 1);
      return { left, top, width: w, height: h };
    }
  }
  const inRatio = width / height;
  let w = width;
  let h = height;
  if (inRatio < Math.min(...ratio)) h = pythonRound(w / Math.min(...ratio));
  else if (inRatio > Math.max(...ratio)) {
    w = pythonRound(h * Math.max(...ratio));
  }
  return { left: Math.floor((width - w) / 2), top: Math.floor((height - h) / 2), width: w, height: h };
}

/** Maps a box drawn on a `from`-sized image onto the same region of a `to`-sized copy (integer pixels, at least 1). */
export function scaleBox(box: CropBox, from: { width: number; height: number }, to: { width: number; height: number }): CropBox {
  if (from.width === to.width && from.height === to.height) return box;
  const sx = to.width / from.width;
  const sy = to.height / from.height;
  const left = Math.min(to.width - 1, Math.round(box.left * sx));
  const top = Math.min(to.height - 1, Math.round(box.top * sy));
  const right = Math.max(left + 1, Math.min(to.width, Math.round((box.left + box.width) * sx)));
  const bottom = Math.max(top + 1, Math.min(to.height, Math.round((box.top + box.height) * sy)));
  return { left, top, width: right - left, height: bottom - top };
}
