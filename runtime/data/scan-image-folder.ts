import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import type { Dirent, Stats } from 'node:fs';
import path from 'node:path';
import { DataError } from './data-error.js';
import { decodeFsName, encodeFsName } from './fs-names.js';
import { hasImageExtension } from './image-extensions.js';
import type { ImageSample } from './types.js';

/** An entry the scan did not take, with why (shown by `sweepspec data`). */
export interface IgnoredEntry {
  readonly file: string;
  readonly reason: string;
}

export interface ImageFolderScan {
  /** The split folder, relative to the data root. */
  readonly dir: string;
  /** Class folder names sorted by their bytes (torchvision's order for UTF-8 names). */
  readonly classes: readonly string[];
  /** Image files, POSIX paths relative to the data root, ordered by class then path bytes. */
  readonly files: readonly ImageSample[];
  /** Image files per class index. */
  readonly counts: readonly number[];
  readonly ignored: readonly IgnoredEntry[];
}

/**
 * Lists `<root>/<dir>/<class>/**\/<image>` like torchvision's ImageFolder:
 * class folders are the sorted subfolders, images are found recursively.
 * Hidden entries (and macOS `._*` files) are skipped; only regular files with
 * an image extension count, so a FIFO or device is never opened. Symbolic
 * links are followed when they resolve inside the root; a link back to one of
 * its own ancestors ends that branch of the walk, a link leaving the root is
 * a SYMLINK_ESCAPE error.
 */
export async function scanImageFolder(options: { root: string; dir: string }): Promise<ImageFolderScan> {
  const realRoot = await realpath(options.root);
  const splitPath = path.join(options.root, options.dir);
  const splitStats = await stat(splitPath).catch(() => null);
  if (!splitStats?.isDirectory()) {
    throw new DataError('DATASET_NOT_FOUND', `split folder ${options.dir} not found under ${options.root}`, { file: options.dir });
  }
  const walker = new Walker(realRoot);
  const top = await walker.entries(options.dir, [identity(splitStats)]);
  const classDirs = top.filter((entry) => entry.kind === 'dir');
  for (const entry of top) {
    if (entry.kind === 'file') walker.ignore(entry.file, 'not inside a class folder');
  }
  classDirs.sort((a, b) => Buffer.compare(a.nameBytes, b.nameBytes));
  const files: ImageSample[] = [];
  const counts: number[] = [];
  for (const [label, entry] of classDirs.entries()) {
    const found = await walker.images(entry.file, entry.ancestors);
    found.sort((a, b) => Buffer.compare(encodeFsName(a), encodeFsName(b)));
    counts.push(found.length);
    for (const file of found) files.push({ file, label });
  }
  return { dir: options.dir, classes: classDirs.map((entry) => entry.name), files, counts, ignored: walker.ignored };
}

interface WalkEntry {
  readonly kind: 'dir' | 'file';
  readonly name: string;
  readonly nameBytes: Buffer;
  /** POSIX path relative to the root. */
  readonly file: string;
  /** Identities of the directories from the split folder down to this one (for loop detection). */
  readonly ancestors: readonly string[];
}

class Walker {
  readonly ignored: IgnoredEntry[] = [];

  constructor(private readonly realRoot: string) {}

  ignore(file: string, reason: string): void {
    this.ignored.push({ file, reason });
  }

  async images(dir: string, ancestors: readonly string[]): Promise<string[]> {
    const out: string[] = [];
    for (const entry of await this.entries(dir, ancestors)) {
      if (entry.kind === 'dir') out.push(...(await this.images(entry.file, entry.ancestors)));
      else if (hasImageExtension(entry.name)) out.push(entry.file);
      else this.ignore(entry.file, 'not an image file extension');
    }
    return out;
  }

  /** The visible directories and regular files of one folder, symbolic links resolved. */
  async entries(dir: string, ancestors: readonly string[]): Promise<WalkEntry[]> {
    const absolute = Buffer.concat([encodeFsName(this.realRoot), Buffer.from('/'), encodeFsName(dir)]);
    let dirents: Dirent<Buffer>[];
    try {
      dirents = (await readdir(absolute, { encoding: 'buffer', withFileTypes: true })) as unknown as Dirent<Buffer>[];
    } catch (error) {
      this.ignore(dir, `cannot read folder: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
      return [];
    }
    const out: WalkEntry[] = [];
    for (const dirent of dirents) {
      const nameBytes = dirent.name as unknown as Buffer;
      const name = decodeFsName(nameBytes);
      if (name.startsWith('.')) continue;
      const file = path.posix.join(dir, name);
      const full = Buffer.concat([absolute, Buffer.from('/'), nameBytes]);
      const stats = dirent.isSymbolicLink() ? await this.followLink(full, file) : await lstat(full);
      if (!stats) continue;
      if (stats.isDirectory()) {
        const id = identity(stats);
        if (ancestors.includes(id)) this.ignore(file, 'symbolic link loop: points to a folder that contains it');
        else out.push({ kind: 'dir', name, nameBytes, file, ancestors: [...ancestors, id] });
      } else if (stats.isFile()) {
        out.push({ kind: 'file', name, nameBytes, file, ancestors });
      } else {
        this.ignore(file, `not a regular file (${describe(stats)})`);
      }
    }
    return out;
  }

  private async followLink(full: Buffer, file: string): Promise<Stats | null> {
    let target: string;
    try {
      target = (await realpath(full, { encoding: 'buffer' })).toString('latin1');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      this.ignore(file, code === 'ELOOP' ? 'symbolic link loop' : 'broken symbolic link');
      return null;
    }
    const rootLatin1 = Buffer.from(encodeFsName(this.realRoot)).toString('latin1');
    if (target !== rootLatin1 && !target.startsWith(`${rootLatin1}/`)) {
      throw new DataError('SYMLINK_ESCAPE', `${file}: symbolic link points outside the data root`, { file });
    }
    return stat(full);
  }
}

function identity(stats: Stats): string {
  return `${stats.dev}:${stats.ino}`;
}

function describe(stats: Stats): string {
  if (stats.isFIFO()) return 'FIFO';
  if (stats.isSocket()) return 'socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'device';
  return 'special file';
}
