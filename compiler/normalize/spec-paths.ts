import { posix } from 'node:path';

/** Path arithmetic on POSIX strings only: the pipeline never asks the file system. */

export function toPosix(path: string): string {
  return path.replace(/\\/g, '/');
}

export function dirOf(file: string): string {
  return posix.dirname(toPosix(file));
}

/** A path written in `fromFile` made relative to `toDir` (both relative to the same working directory, or absolute). */
export function rebase(written: string, fromFile: string, toDir: string): string {
  const target = toPosix(written);
  if (posix.isAbsolute(target)) return target;
  const joined = posix.join(dirOf(fromFile), target);
  const relative = posix.relative(toDir === '' ? '.' : toDir, joined);
  return relative === '' ? '.' : relative;
}

/** Settings whose string values are paths (model.pretrained only when not a keyword). */
export function isPathSetting(path: readonly string[], value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const key = path.join('.');
  if (key === 'data.root') return true;
  return key === 'model.pretrained' && value !== 'imagenet' && value !== 'none';
}
