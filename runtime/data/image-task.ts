import { readFileSync } from 'node:fs';
import type { AugmentConfig } from '../../compiler/types/run-config.js';
import { deriveSeed, Random } from '../random.js';
import type { CachedImage } from './cache-codecs.js';
import { decodeUprightJpegView, decodeWithSharp } from './decode-image.js';
import { contentDigest } from './file-digest.js';
import { storeDecoded, type DiskTarget } from './store-decoded.js';
import { flipHorizontal, rotateNearest } from './flip-rotate.js';
import { augmentSourceSize, evalGeometry } from './geometry.js';
import { normalizeInto } from './normalize.js';
import { cropAndResize, pilResizeCrop } from './pil-resize.js';
import type { Pixels } from './pixels.js';
import { randomResizedCropBox, scaleBox } from './random-resized-crop.js';

/**
 * The CPU work of one image, as a pure function of plain data so that a data
 * worker thread (data-workers.ts) or the main thread can run it: decode the
 * file's bytes into a cached variant (or start from a cached one), augment,
 * and write normalised floats into the batch. The only file it touches is
 * the decoded variant's cache entry, when the task names one (`store`):
 * written by the thread that decoded it, so the main thread does no file work
 * for it.
 */
export type ImageVariant = 'eval' | 'source';
export type ActiveAugment = Exclude<AugmentConfig, false>;

export interface ImageTask {
  /** Path relative to the data root: names the file in errors and seeds augmentation. */
  readonly file: string;
  readonly imageSize: number;
  /**
   * The decoded variant from the cache, or the file's bytes to decode it
   * from, or the file to read (`path`) with the digest it is expected to have
   * (its cache entry's key: written only when the bytes read have it).
   */
  readonly base:
    | { readonly image: CachedImage }
    | { readonly bytes: Uint8Array; readonly variant: ImageVariant }
    | { readonly path: Uint8Array | string; readonly variant: ImageVariant; readonly digest: string };
  readonly augment: { readonly config: ActiveAugment; readonly seed: number; readonly epoch: number } | null;
  /** Return the normalised RGB floats (ToTensor + Normalize, HWC). */
  readonly normalize: boolean;
  /**
   * Write the normalised floats here instead, at `offset`: a batch in shared
   * memory, which a data worker fills in place (nothing to send back or copy).
   */
  readonly into?: { readonly floats: Float32Array; readonly offset: number } | null;
  /** Return the final uint8 pixels (before normalising) too. */
  readonly wantPixels?: boolean;
  /** Where to write the decoded variant's cache entry (from TieredCache.diskTarget), if anywhere. */
  readonly store?: DiskTarget | null;
}

export interface ImageTaskResult {
  /** The variant decoded from bytes (for the cache), null when the task started from a cached one. */
  readonly decoded: CachedImage | null;
  readonly pixels: Pixels | null;
  readonly floats: Float32Array | null;
  /** Why writing `store` failed; null when it was written or not asked for. */
  readonly storeError?: string | null;
  /** The SHA-256 of the bytes read, when the task read the file itself (`base.path`). */
  readonly digest?: string;
}

export async function runImageTask(task: ImageTask): Promise<ImageTaskResult> {
  let digest: string | undefined;
  let bytes: Uint8Array | null = null;
  if ('path' in task.base) {
    const { path } = task.base; // a Buffer arrives in a worker as a plain Uint8Array
    bytes = readFileSync(typeof path === 'string' ? path : Buffer.from(path.buffer, path.byteOffset, path.byteLength));
    digest = contentDigest(bytes);
  } else if ('bytes' in task.base) bytes = task.base.bytes;
  const decoded = bytes && 'variant' in task.base ? await decodeVariant(bytes, task.file, task.base.variant, task.imageSize) : null;
  const storable = digest === undefined || ('digest' in task.base && digest === task.base.digest);
  const storeError = decoded && task.store && storable ? storeDecoded(task.store, decoded) : null;
  const base = decoded ?? (task.base as { image: CachedImage }).image;
  const pixels = task.augment ? augmentPixels(base, task.augment.config, task.file, task.augment.seed, task.augment.epoch, task.imageSize) : base;
  if (task.into) normalizeInto(pixels.data, task.into.floats, task.into.offset);
  let floats: Float32Array | null = null;
  if (task.normalize) {
    floats = new Float32Array(pixels.data.length);
    normalizeInto(pixels.data, floats, 0);
  }
  return { decoded, pixels: task.wantPixels ? pixels : null, floats, storeError, ...(digest === undefined ? {} : { digest }) };
}

/** Decodes bytes into one variant: `eval` is the final square of the eval transform, `source` the (capped) whole image augmentation crops from. */
export async function decodeVariant(bytes: Uint8Array, file: string, variant: ImageVariant, size: number): Promise<CachedImage> {
  // The view is resized into new arrays before anything else runs on this thread (no await in between).
  const view = decodeUprightJpegView(bytes);
  if (view) return variantOf(view, variant, size);
  return variantOf(await decodeWithSharp(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), file), variant, size);
}

function variantOf(original: Pixels, variant: ImageVariant, size: number): CachedImage {
  const source = { sourceWidth: original.width, sourceHeight: original.height };
  if (variant === 'eval') {
    const geometry = evalGeometry(original.width, original.height, size);
    const resize = geometry.resize ?? original;
    return { ...pilResizeCrop(original, resize.width, resize.height, geometry.crop, new Uint8Array(size * size * 3)), ...source };
  }
  const resize = augmentSourceSize(original.width, original.height, size);
  const target = resize ?? original;
  const box = { left: 0, top: 0, width: target.width, height: target.height };
  return { ...pilResizeCrop(original, target.width, target.height, box, new Uint8Array(target.width * target.height * 3)), ...source };
}

/**
 * One training image under torchvision's RandomResizedCrop(image_size, scale,
 * ratio) (or the eval Resize + CenterCrop when cropping is off: `base` is then
 * the eval variant), then RandomHorizontalFlip(0.5), then RandomRotation(±rotation,
 * NEAREST, fill 0). Draws come from deriveSeed(seed, 'augment', epoch, file),
 * in that order, so the same (seed, epoch, image) always gives the same pixels.
 */
export function augmentPixels(base: CachedImage, augment: ActiveAugment, file: string, seed: number, epoch: number, size: number): Pixels {
  const random = new Random(deriveSeed(seed, 'augment', epoch, file));
  let pixels: Pixels = base;
  if (augment.random_resized_crop) {
    const original = { width: base.sourceWidth, height: base.sourceHeight };
    const box = randomResizedCropBox(original.width, original.height, augment.random_resized_crop.scale, augment.random_resized_crop.ratio, random);
    pixels = cropAndResize(base, scaleBox(box, original, base), size);
  }
  if (augment.horizontal_flip && random.next() < 0.5) pixels = flipHorizontal(pixels);
  if (augment.rotation > 0) pixels = rotateNearest(pixels, random.uniform(-augment.rotation, augment.rotation));
  return pixels;
}
