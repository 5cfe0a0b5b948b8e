import { pythonRound } from './python-round.js';

/**
 * torchvision's eval geometry: Resize(round(size * 256 / 224)) scales the
 * shorter side to that length (the longer one to int(short * long / short)),
 * then CenterCrop(size) keeps the middle, offsets rounded like Python does.
 */
export function evalResizeSide(imageSize: number): number {
  return Math.round((imageSize * 256) / 224);
}

export function evalGeometry(width: number, height: number, imageSize: number) {
  const side = evalResizeSide(imageSize);
  const resized =
    width <= height
      ? { width: side, height: Math.trunc((side * height) / width) }
      : { width: Math.trunc((side * width) / height), height: side };
  const crop = {
    left: pythonRound((resized.width - imageSize) / 2),
    top: pythonRound((resized.height - imageSize) / 2),
    width: imageSize,
    height: imageSize,
  };
  const noop = resized.width === width && resized.height === height;
  return { resize: noop ? null : resized, crop };
}

/**
 * The decoded copy that augmentation crops from: the whole image, scaled
 * down so its shorter side is at most `2 * imageSize` (a RandomResizedCrop
 * box is drawn in the original's pixels and mapped onto this copy).
 */
export function augmentSourceSize(width: number, height: number, imageSize: number) {
  const cap = 2 * imageSize;
  const short = Math.min(width, height);
  if (short <= cap) return null;
  const scale = cap / short;
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}
