import path from 'node:path';
import { FEATURE_CODEC, IMAGE_CODEC, type CachedFeature, type CachedImage } from './cache-codecs.js';
import { TieredCache } from './tiered-cache.js';

/** The result of checking that one file decodes, by content digest and image size. */
export type ImageCheck =
  | { readonly ok: true; readonly width: number; readonly height: number }
  | { readonly ok: false; readonly reason: string };

/**
 * The caches one process shares between every run it trains:
 * - `images`: decoded, resized uint8 pixels per (file content, size);
 * - `features`: frozen-prefix outputs per (prefix, frozen weights, size, file content);
 * - `checks`: which file contents decode, so a second run does not re-check.
 * Memory tiers are capped; disk tiers live under `cacheDir` (the runner uses
 * `<results>/<spec>/.cache`), so later processes reuse them too.
 */
export interface DataCaches {
  readonly cacheDir: string;
  readonly images: TieredCache<CachedImage>;
  readonly features: TieredCache<CachedFeature>;
  readonly checks: Map<string, ImageCheck>;
}

export const DEFAULT_IMAGE_MEMORY_BYTES = 512 * 2 ** 20;
export const DEFAULT_FEATURE_MEMORY_BYTES = 1024 * 2 ** 20;
export const DEFAULT_DISK_BYTES = 8 * 2 ** 30;

export function createDataCaches(options: {
  cacheDir: string;
  /** Memory cap of decoded images (default 512 MiB). */
  memoryBytes?: number;
  /** Memory cap of frozen-prefix features (default 1 GiB). */
  featureBytes?: number;
  /** Disk cap of each tier (default 8 GiB); 0 keeps everything in memory. */
  diskBytes?: number;
}): DataCaches {
  const diskBytes = options.diskBytes ?? DEFAULT_DISK_BYTES;
  return {
    cacheDir: options.cacheDir,
    images: new TieredCache({
      dir: path.join(options.cacheDir, 'images'),
      memoryBytes: options.memoryBytes ?? DEFAULT_IMAGE_MEMORY_BYTES,
      diskBytes,
      codec: IMAGE_CODEC,
    }),
    features: new TieredCache({
      dir: path.join(options.cacheDir, 'features'),
      memoryBytes: options.featureBytes ?? DEFAULT_FEATURE_MEMORY_BYTES,
      diskBytes,
      codec: FEATURE_CODEC,
    }),
    checks: new Map(),
  };
}
