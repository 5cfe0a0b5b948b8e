import type { DataCaches, ImageCheck } from './data-caches.js';
import { DataError } from './data-error.js';
import { readFileWithDigest, digestOrContents } from './file-digest.js';
import { resolveUnder } from './fs-names.js';
import { dataWorkers } from './data-workers.js';
import { imageCacheKey, runWithCache } from './image-loader.js';
import { mapLimit } from './map-limit.js';

export interface CheckedFile {
  readonly file: string;
  readonly digest: string;
  readonly check: ImageCheck;
}

/**
 * Decodes every file once (as its eval-size image, which goes straight into
 * the decoded-image cache, so the check is work the first epoch would do
 * anyway; on the data workers, in parallel) and reports which ones fail, and why. Results are remembered per
 * content digest in `caches.checks`; a file whose eval image is already in
 * the image cache (memory or disk, from an earlier process too) is not
 * decoded again.
 */
export async function checkImages(options: {
  root: string;
  files: readonly string[];
  imageSize: number;
  caches: DataCaches | null;
  concurrency?: number;
}): Promise<CheckedFile[]> {
  // Enough files in flight to keep every data worker busy while the main thread reads and hashes the next.
  const concurrency = options.concurrency ?? Math.max(4, 2 * dataWorkers().size);
  return mapLimit(options.files, concurrency, async (file) => {
    const absolute = resolveUnder(options.root, file);
    let known: Awaited<ReturnType<typeof digestOrContents>>;
    try {
      known = await digestOrContents(absolute);
    } catch (error) {
      return { file, digest: '', check: { ok: false, reason: `cannot read file: ${(error as NodeJS.ErrnoException).code ?? String(error)}` } };
    }
    const memoKey = `${known.digest}:${options.imageSize}`;
    const remembered = options.caches?.checks.get(memoKey);
    if (remembered) return { file, digest: known.digest, check: remembered };
    // An eval image in the cache (this process or an earlier one) was decoded in full: the file is good.
    const cached = await options.caches?.images.get(imageCacheKey('eval', known.digest, options.imageSize));
    if (cached) {
      const check: ImageCheck = { ok: true, width: cached.sourceWidth, height: cached.sourceHeight };
      options.caches!.checks.set(memoKey, check);
      return { file, digest: known.digest, check };
    }
    const contents = known.bytes ? { bytes: known.bytes, digest: known.digest } : await readFileWithDigest(absolute);
    let check: ImageCheck;
    try {
      // As in an epoch: the worker that decodes the image writes its disk cache entry, the memory tier keeps it here.
      const loader = { root: options.root, imageSize: options.imageSize, caches: options.caches };
      const base = { bytes: contents.bytes, variant: 'eval' as const, digest: contents.digest };
      const image = (await runWithCache(loader, base, { file, augment: null, normalize: false })).decoded!;
      check = { ok: true, width: image.sourceWidth, height: image.sourceHeight };
    } catch (error) {
      if (!(error instanceof DataError) || error.code !== 'BAD_IMAGE') throw error;
      check = { ok: false, reason: error.message.slice(file.length + 2) };
    }
    options.caches?.checks.set(`${contents.digest}:${options.imageSize}`, check);
    return { file, digest: contents.digest, check };
  });
}
