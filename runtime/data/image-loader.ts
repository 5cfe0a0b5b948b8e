import type { CachedImage } from './cache-codecs.js';
import type { DataCaches } from './data-caches.js';
import { decodeImage } from './decode-image.js';
import { assertUnchanged } from './expected-digests.js';
import { digestOrContents, readFileWithDigest, sha256 } from './file-digest.js';
import { resolveUnder } from './fs-names.js';
import { augmentSourceSize, evalGeometry } from './geometry.js';
import { cropPixels, pilResizeBilinear } from './pil-resize.js';

/**
 * Decoded pixels of one dataset file through the decoded-image cache:
 * `eval` is the final image_size square of the eval transform, `source` the
 * (capped) whole image that augmentation crops from. Cache keys are content
 * digests, so an edited file is decoded afresh.
 */
export type ImageVariant = 'eval' | 'source';

export interface ImageLoaderOptions {
  readonly root: string;
  readonly imageSize: number;
  readonly caches: DataCaches | null;
  /** Digests the split was loaded with (see expected-digests.ts); a different one is DATASET_CHANGED. */
  readonly expected?: ReadonlyMap<string, string> | null;
}

export function imageCacheKey(variant: ImageVariant, digest: string, size: number): string {
  return sha256('image/v1', variant, digest, String(size));
}

export async function loadImage(options: ImageLoaderOptions, file: string, variant: ImageVariant): Promise<CachedImage> {
  const absolute = resolveUnder(options.root, file);
  const known = await digestOrContents(absolute);
  assertUnchanged(options.expected, file, known.digest);
  const key = imageCacheKey(variant, known.digest, options.imageSize);
  const cached = options.caches ? await options.caches.images.get(key) : undefined;
  if (cached) return cached;
  const contents = known.bytes ? { bytes: known.bytes, digest: known.digest } : await readFileWithDigest(absolute);
  assertUnchanged(options.expected, file, contents.digest);
  const image = await decodeVariant(contents.bytes, file, variant, options.imageSize);
  if (options.caches) await options.caches.images.put(imageCacheKey(variant, contents.digest, options.imageSize), image);
  return image;
}

/** Decodes bytes into one variant (no cache). */
export async function decodeVariant(bytes: Buffer, file: string, variant: ImageVariant, size: number): Promise<CachedImage> {
  const original = await decodeImage(bytes, file);
  const source = { sourceWidth: original.width, sourceHeight: original.height };
  if (variant === 'eval') {
    const geometry = evalGeometry(original.width, original.height, size);
    const resized = geometry.resize ? pilResizeBilinear(original, geometry.resize.width, geometry.resize.height) : original;
    return { ...cropPixels(resized, geometry.crop), ...source };
  }
  const resize = augmentSourceSize(original.width, original.height, size);
  return { ...(resize ? pilResizeBilinear(original, resize.width, resize.height) : original), ...source };
}
