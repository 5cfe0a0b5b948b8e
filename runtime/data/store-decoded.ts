import { closeSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync, writevSync } from 'node:fs';
import path from 'node:path';
import { IMAGE_CODEC, type CachedImage } from './cache-codecs.js';

/** A decoded-image cache entry's file and the temporary name it is written under first (TieredCache.diskTarget). */
export interface DiskTarget {
  readonly file: string;
  readonly temporary: string;
}

/**
 * Writes a decoded image's cache entry atomically (the temporary file, then a
 * rename) and returns null, or the error's message (the cache then turns its
 * disk tier off). Synchronous, because it runs on a data worker, where
 * blocking is the point: four system calls instead of the main thread's
 * promise-per-step file handling.
 */
export function storeDecoded(target: DiskTarget, image: CachedImage): string | null {
  // IMAGE_CODEC's layout (a header, then the pixels) written from the two parts, without joining them in a copy.
  const [header, pixels] = IMAGE_CODEC.encodeParts!(image);
  try {
    let fd: number;
    try {
      fd = openSync(target.temporary, 'w');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      mkdirSync(path.dirname(target.file), { recursive: true });
      fd = openSync(target.temporary, 'w');
    }
    try {
      const expected = header.length + pixels.length;
      let written = writevSync(fd, [header, pixels]);
      // A short write (rare: signals, full pipes) continues where it stopped.
      while (written < expected) {
        const rest = Buffer.concat([header, pixels]).subarray(written);
        written += writeSync(fd, rest);
      }
    } finally {
      closeSync(fd);
    }
    renameSync(target.temporary, target.file);
    return null;
  } catch (error) {
    try {
      unlinkSync(target.temporary);
    } catch {
      // Nothing was written.
    }
    return error instanceof Error ? error.message : String(error);
  }
}
