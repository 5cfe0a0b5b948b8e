import type { CachedImage } from './cache-codecs.js';
import type { DataCaches } from './data-caches.js';
import { dataWorkers } from './data-workers.js';
import { assertUnchanged } from './expected-digests.js';
import { digestOrContents, readFileWithDigest, sha256 } from './file-digest.js';
import { resolveUnder } from './fs-names.js';
import type { ImageTask, ImageTaskResult, ImageVariant } from './image-task.js';

export { decodeVariant, type ImageVariant } from './image-task.js';

/**
 * Decoded pixels of one dataset file through the decoded-image cache:
 * `eval` is the final image_size square of the eval transform, `source` the
 * (capped) whole image that augmentation crops from. Cache keys are content
 * digests, so an edited file is decoded afresh. The main thread only reads
 * files, hashes them and looks up the caches; decoding and every transform run
 * on the data workers (data-workers.ts).
 */
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

/** What a task starts from: the cached variant, or the file's bytes (and its digest, the cache key of the result). */
export type ImageBase = { readonly image: CachedImage } | { readonly bytes: Uint8Array; readonly variant: ImageVariant; readonly digest: string };

export async function findImage(options: ImageLoaderOptions, file: string, variant: ImageVariant): Promise<ImageBase> {
  const absolute = resolveUnder(options.root, file);
  const known = await digestOrContents(absolute);
  assertUnchanged(options.expected, file, known.digest);
  const cached = options.caches ? await options.caches.images.get(imageCacheKey(variant, known.digest, options.imageSize)) : undefined;
  if (cached) return { image: cached };
  const contents = known.bytes ? { bytes: known.bytes, digest: known.digest } : await readFileWithDigest(absolute);
  assertUnchanged(options.expected, file, contents.digest);
  return { bytes: contents.bytes, variant, digest: contents.digest };
}

/** Runs a task on the data workers and puts what it decoded into the image cache. */
export async function runWithCache(options: ImageLoaderOptions, base: ImageBase, task: Omit<ImageTask, 'base' | 'imageSize'>): Promise<ImageTaskResult> {
  const result = await dataWorkers().run({ ...task, imageSize: options.imageSize, base: 'image' in base ? base : { bytes: base.bytes, variant: base.variant } });
  if (result.decoded && 'digest' in base && options.caches) {
    // Awaited: the next epoch finds the file on disk, and writes never pile up in memory
    // faster than the disk takes them (images in flight are bounded by the prefetch depth).
    await options.caches.images.put(imageCacheKey(base.variant, base.digest, options.imageSize), result.decoded);
  }
  return result;
}

export async function loadImage(options: ImageLoaderOptions, file: string, variant: ImageVariant): Promise<CachedImage> {
  const base = await findImage(options, file, variant);
  if ('image' in base) return base.image;
  const { decoded } = await runWithCache(options, base, { file, augment: null, normalize: false });
  return decoded!;
}
