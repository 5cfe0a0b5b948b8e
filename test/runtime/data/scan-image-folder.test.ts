import { execFileSync } from 'node:child_process';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { DataError } from '../../../runtime/data/data-error.js';
import { scanImageFolder } from '../../../runtime/data/scan-image-folder.js';
import { loadImage } from '../../../runtime/data/image-loader.js';
import { noiseImage, tempRoot, writeTree } from './corpus.js';

async function corpus(): Promise<string> {
  const root = await tempRoot();
  const png = await noiseImage(8, 8, 1);
  await writeTree(root, {
    'train/dog/b.png': png,
    'train/dog/a.JPG': await noiseImage(8, 8, 2, 'jpeg'),
    'train/dog/nested/deeper/c.webp': png,
    'train/cat/x.png': png,
    'train/cat/.hidden.png': png,
    'train/cat/._x.png': png,
    'train/cat/notes.txt': 'not an image',
    'train/.thumbnails/t.png': png,
    'train/README.md': 'top-level file',
    'outside.png': png,
  });
  return root;
}

describe('scanImageFolder', () => {
  test('classes are sorted folders; images found recursively in path order; hidden and AppleDouble files skipped', async () => {
    const root = await corpus();
    const scan = await scanImageFolder({ root, dir: 'train' });
    expect(scan.classes).toEqual(['cat', 'dog']);
    expect(scan.files).toEqual([
      { file: 'train/cat/x.png', label: 0 },
      { file: 'train/dog/a.JPG', label: 1 },
      { file: 'train/dog/b.png', label: 1 },
      { file: 'train/dog/nested/deeper/c.webp', label: 1 },
    ]);
    expect(scan.counts).toEqual([1, 3]);
    expect(scan.ignored).toEqual([
      { file: 'train/README.md', reason: 'not inside a class folder' },
      { file: 'train/cat/notes.txt', reason: 'not an image file extension' },
    ]);
  });

  test('a symbolic link inside the root is followed; one back to an ancestor ends that branch', async () => {
    const root = await corpus();
    await symlink('../../outside.png', path.join(root, 'train/cat/linked.png'));
    await symlink('..', path.join(root, 'train/dog/loop'));
    await symlink('self', path.join(root, 'train/dog/self'));
    const scan = await scanImageFolder({ root, dir: 'train' });
    expect(scan.files.map((f) => f.file)).toContain('train/cat/linked.png');
    expect(scan.counts).toEqual([2, 3]);
    expect(scan.ignored).toContainEqual({ file: 'train/dog/loop', reason: 'symbolic link loop: points to a folder that contains it' });
    expect(scan.ignored).toContainEqual({ file: 'train/dog/self', reason: 'symbolic link loop' });
  });

  test('a symbolic link leaving the root is a SYMLINK_ESCAPE error naming it', async () => {
    const root = await corpus();
    const elsewhere = await tempRoot('sweepspec-elsewhere-');
    await writeFile(path.join(elsewhere, 'secret.png'), await noiseImage(8, 8, 3));
    await symlink(path.join(elsewhere, 'secret.png'), path.join(root, 'train/cat/escape.png'));
    const error = (await scanImageFolder({ root, dir: 'train' }).catch((e: unknown) => e)) as DataError;
    expect(error).toBeInstanceOf(DataError);
    expect(error.code).toBe('SYMLINK_ESCAPE');
    expect(error.file).toBe('train/cat/escape.png');
    expect(error.message).toBe('train/cat/escape.png: symbolic link points outside the data root');
  });

  test('a FIFO named like an image is listed as ignored and never opened', async () => {
    const root = await corpus();
    execFileSync('mkfifo', [path.join(root, 'train/cat/pipe.jpg')]);
    await symlink('pipe.jpg', path.join(root, 'train/cat/to-pipe.jpg'));
    const scan = await scanImageFolder({ root, dir: 'train' });
    expect(scan.counts).toEqual([1, 3]);
    expect(scan.ignored).toContainEqual({ file: 'train/cat/pipe.jpg', reason: 'not a regular file (FIFO)' });
    expect(scan.ignored).toContainEqual({ file: 'train/cat/to-pipe.jpg', reason: 'not a regular file (FIFO)' });
  });

  test('names that are not UTF-8 are kept (surrogateescape) and open again', async () => {
    const root = await corpus();
    const name = Buffer.concat([Buffer.from(`${root}/train/cat/caf`), Buffer.from([0xe9]), Buffer.from('.png')]);
    await writeFile(name, await noiseImage(40, 40, 4));
    const scan = await scanImageFolder({ root, dir: 'train' });
    const file = scan.files.find((f) => f.file.startsWith('train/cat/caf'))!.file;
    expect(file).toBe('train/cat/caf\udce9.png');
    const image = await loadImage({ root, imageSize: 32, caches: null }, file, 'eval');
    expect([image.width, image.height]).toEqual([32, 32]);
  });

  test('a missing split folder is DATASET_NOT_FOUND', async () => {
    const root = await tempRoot();
    await mkdir(path.join(root, 'train'));
    const error = (await scanImageFolder({ root, dir: 'test' }).catch((e: unknown) => e)) as DataError;
    expect(error.code).toBe('DATASET_NOT_FOUND');
    expect(error.file).toBe('test');
  });
});
