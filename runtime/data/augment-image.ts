import type { AugmentConfig } from '../../compiler/types/run-config.js';
import { deriveSeed, Random } from '../random.js';
import { cropAndResize, type Pixels } from './decode-image.js';
import { flipHorizontal, rotateNearest } from './flip-rotate.js';
import { loadImage, type ImageLoaderOptions } from './image-loader.js';
import { randomResizedCropBox, scaleBox } from './random-resized-crop.js';

export type ActiveAugment = Exclude<AugmentConfig, false>;

/** The augment config when it changes anything, else null (then train images equal eval images). */
export function activeAugment(augment: AugmentConfig): ActiveAugment | null {
  if (augment === false) return null;
  return augment.random_resized_crop !== false || augment.horizontal_flip || augment.rotation > 0 ? augment : null;
}

/**
 * One training image under torchvision's RandomResizedCrop(image_size, scale,
 * ratio) (or the eval Resize + CenterCrop when cropping is off), then
 * RandomHorizontalFlip(0.5), then RandomRotation(±rotation, NEAREST, fill 0).
 * Draws come from deriveSeed(seed, 'augment', epoch, file), in that order, so
 * the same (seed, epoch, image) always gives the same pixels.
 */
export async function augmentImage(
  loader: ImageLoaderOptions,
  augment: ActiveAugment,
  file: string,
  seed: number,
  epoch: number,
): Promise<Pixels> {
  const random = new Random(deriveSeed(seed, 'augment', epoch, file));
  let pixels: Pixels;
  if (augment.random_resized_crop) {
    const source = await loadImage(loader, file, 'source');
    const original = { width: source.sourceWidth, height: source.sourceHeight };
    const box = randomResizedCropBox(original.width, original.height, augment.random_resized_crop.scale, augment.random_resized_crop.ratio, random);
    pixels = cropAndResize(source, scaleBox(box, original, source), loader.imageSize);
  } else {
    pixels = await loadImage(loader, file, 'eval');
  }
  if (augment.horizontal_flip && random.next() < 0.5) pixels = flipHorizontal(pixels);
  if (augment.rotation > 0) pixels = rotateNearest(pixels, random.uniform(-augment.rotation, augment.rotation));
  return pixels;
}
