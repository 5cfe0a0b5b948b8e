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

/**
 * The memory budgets, from the environment when set (MiB, fractions allowed;
 * 0 keeps nothing in memory): SWEEPSPEC_IMAGE_CACHE_MB for decoded images,
 * SWEEPSPEC_FEATURE_CACHE_MB for frozen-prefix features.
 */
export function cacheBudgets(env: NodeJS.ProcessEnv = process.env): { memoryBytes: number; featureBytes: number } {
  const budget = (name: string, fallback: number) => {
    const text = env[name];
    if (text === undefined || text.trim() === '') return fallback;
    const mib = Number(text);
    if (!Number.isFinite(mib) || mib < 0) throw new Error(`${name} must be a number of MiB (0 or more), not ${JSON.stringify(text)}`);
    return Math.floor(mib * 2 ** 20);
  };
  return {
    memoryBytes: budget('SWEEPSPEC_IMAGE_CACHE_MB', DEFAULT_IMAGE_MEMORY_BYTES),
    featureBytes: budget('SWEEPSPEC_FEATURE_CACHE_MB', DEFAULT_FEATURE_MEMORY_BYTES),
  };
}

export function createDataCaches(options: {
  cacheDir: string;
  /** Memory cap of decoded images (default SWEEPSPEC_IMAGE_CACHE_MB, else 512 MiB). */
  memoryBytes?: number;
  /** Memory cap of frozen-prefix features (default SWEEPSPEC_FEATURE_CACHE_MB, else 1 GiB). */
  featureBytes?: number;
  /** Disk cap of each tier (default 8 GiB); 0 keeps everything in memory. */
  diskBytes?: number;
}): DataCaches {
  const diskBytes = options.diskBytes ?? DEFAULT_DISK_BYTES;
  const budgets = cacheBudgets();
  return {
    cacheDir: options.cacheDir,
    images: new TieredCache({
      dir: path.join(options.cacheDir, 'images'),
      memoryBytes: options.memoryBytes ?? budgets.memoryBytes,
      diskBytes,
      codec: IMAGE_CODEC,
    }),
    features: new TieredCache({
      dir: path.join(options.cacheDir, 'features'),
      memoryBytes: options.featureBytes ?? budgets.featureBytes,
      diskBytes,
      codec: FEATURE_CODEC,
    }),
    checks: new Map(),
  };
}
