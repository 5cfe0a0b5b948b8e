import { encodedImageBytes, type CachedImage } from './cache-codecs.js';
import type { DataCaches } from './data-caches.js';
import { dataWorkers } from './data-workers.js';
import { assertUnchanged } from './expected-digests.js';
import { digestOrContents, sha256 } from './file-digest.js';
import { resolveUnder } from './fs-names.js';
import type { ActiveAugment, ImageTask, ImageTaskResult, ImageVariant } from './image-task.js';
import { normalizeInto } from './normalize.js';

export { decodeVariant, type ImageVariant } from './image-task.js';

/**
 * Decoded pixels of one dataset file through the decoded-image cache:
 * `eval` is the final image_size square of the eval transform, `source` the
 * (capped) whole image that augmentation crops from. Cache keys are content
 * digests, so an edited file is decoded afresh. The main thread only reads
 * files, hashes them, looks up the caches and normalises the finished pixels
 * into the batch; decoding and every transform run on the data workers
 * (data-workers.ts).
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

/**
 * What a task starts from: the cached variant, or the file's bytes (and its
 * digest, the cache key of the result), or, when the digest is already known
 * (an unchanged file this process has hashed), the file itself: the data
 * worker reads and hashes it, so the main thread does not.
 */
export type ImageBase =
  | { readonly image: CachedImage }
  | { readonly bytes: Uint8Array; readonly variant: ImageVariant; readonly digest: string }
  | { readonly path: Uint8Array; readonly variant: ImageVariant; readonly digest: string };

export async function findImage(options: ImageLoaderOptions, file: string, variant: ImageVariant): Promise<ImageBase> {
  const absolute = resolveUnder(options.root, file);
  const known = await digestOrContents(absolute);
  assertUnchanged(options.expected, file, known.digest);
  const cached = options.caches ? await options.caches.images.get(imageCacheKey(variant, known.digest, options.imageSize)) : undefined;
  if (cached) return { image: cached };
  if (!known.bytes) return { path: absolute, variant, digest: known.digest };
  return { bytes: known.bytes, variant, digest: known.digest };
}

/**
 * Runs a task on the data workers and puts what it decoded into the image
 * cache: the worker writes the disk entry before it answers (so the next
 * epoch finds the file, and writes never pile up in memory faster than the
 * disk takes them), the memory tier keeps it here.
 */
export async function runWithCache(options: ImageLoaderOptions, base: ImageBase, task: Omit<ImageTask, 'base' | 'imageSize' | 'store'>): Promise<ImageTaskResult> {
  if ('image' in base) return dataWorkers().run({ ...task, imageSize: options.imageSize, base });
  const cache = options.caches?.images ?? null;
  const key = imageCacheKey(base.variant, base.digest, options.imageSize);
  const store = cache ? await cache.diskTarget(key) : null;
  const taskBase = 'path' in base ? { path: base.path, variant: base.variant, digest: base.digest } : { bytes: base.bytes, variant: base.variant };
  // Bytes read for this task alone are moved to the worker, not copied.
  const result = await dataWorkers().run({ ...task, imageSize: options.imageSize, base: taskBase, store }, true);
  // A file the worker read may have changed since it was hashed: then its pixels belong to another digest (and the worker stored nothing).
  const digest = result.digest ?? base.digest;
  assertUnchanged(options.expected, task.file, digest);
  if (cache && result.decoded) {
    if (store && digest === base.digest) cache.wroteElsewhere(encodedImageBytes(result.decoded), result.storeError ?? null);
    cache.putInMemory(digest === base.digest ? key : imageCacheKey(base.variant, digest, options.imageSize), result.decoded);
  }
  return result;
}

/**
 * One sample's normalised floats written into `into` at `offset`: decoded (or
 * taken from the cache), augmented and normalised on a data worker. When
 * `into` is in shared memory (batch-source.ts allocates batches there) the
 * worker writes the floats straight into the batch, so the main thread does
 * no per-pixel work for the image; otherwise the worker hands back uint8
 * pixels (a quarter of the floats' bytes) and they are normalised here. A
 * cached image that needs no augmentation skips the workers altogether.
 */
export async function loadNormalized(
  options: ImageLoaderOptions,
  file: string,
  variant: ImageVariant,
  augment: { readonly config: ActiveAugment; readonly seed: number; readonly epoch: number } | null,
  into: Float32Array,
  offset: number,
): Promise<void> {
  const base = await findImage(options, file, variant);
  if ('image' in base && !augment) {
    normalizeInto(base.image.data, into, offset);
    return;
  }
  if (into.buffer instanceof SharedArrayBuffer) {
    await runWithCache(options, base, { file, augment, normalize: false, into: { floats: into, offset } });
    return;
  }
  const { pixels } = await runWithCache(options, base, { file, augment, normalize: false, wantPixels: true });
  normalizeInto(pixels!.data, into, offset);
}

export async function loadImage(options: ImageLoaderOptions, file: string, variant: ImageVariant): Promise<CachedImage> {
  const base = await findImage(options, file, variant);
  if ('image' in base) return base.image;
  const { decoded } = await runWithCache(options, base, { file, augment: null, normalize: false });
  return decoded!;
}
