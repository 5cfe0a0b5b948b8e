import { DataError } from './data-error.js';
import type { ImageSample } from './types.js';

/**
 * The content digests a split was loaded with, remembered per split array
 * (loadDatasetSplits registers them), so a batch source can tell when a file
 * changed on disk during a run and fail with DATASET_CHANGED instead of
 * training on other pixels than the fingerprint describes.
 */
const registry = new WeakMap<readonly ImageSample[], ReadonlyMap<string, string>>();

export function rememberDigests(samples: readonly ImageSample[], digests: ReadonlyMap<string, string>): void {
  registry.set(samples, digests);
}

export function expectedDigests(samples: readonly ImageSample[]): ReadonlyMap<string, string> | null {
  return registry.get(samples) ?? null;
}

export function assertUnchanged(expected: ReadonlyMap<string, string> | null | undefined, file: string, digest: string): void {
  const wanted = expected?.get(file);
  if (wanted !== undefined && wanted !== digest) {
    throw new DataError('DATASET_CHANGED', `${file}: the file changed on disk after the dataset was loaded`, { file });
  }
}
