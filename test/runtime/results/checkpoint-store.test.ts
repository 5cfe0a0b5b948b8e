import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  checkpointDirName,
  pruneCheckpoints,
  scanCheckpoints,
  writeCheckpoint,
} from '../../../runtime/results/checkpoint-store.js';

const bytes = (text: string) => new TextEncoder().encode(text);
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ckpt-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('checkpoint store', () => {
  it('writes folders named by epoch with a manifest of sha256 digests', async () => {
    const written = await writeCheckpoint(dir, 3, [{ name: 'weights.bin', bytes: bytes('abc') }]);
    expect(written.dir).toBe(join(dir, 'epoch-0003'));
    expect(written.manifest.files['weights.bin']).toEqual({
      sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
      bytes: 3,
    });
    expect((await readdir(written.dir)).sort()).toEqual(['manifest.json', 'weights.bin']);
    const { valid, problems } = await scanCheckpoints(dir);
    expect(valid.map((c) => c.epoch)).toEqual([3]);
    expect(problems).toEqual([]);
  });

  it('leaves the previous checkpoint valid when a write is interrupted between files', async () => {
    await writeCheckpoint(dir, 1, [{ name: 'a.bin', bytes: bytes('one') }, { name: 'b.bin', bytes: bytes('two') }]);
    const interrupted = writeCheckpoint(dir, 2, [
      { name: 'a.bin', bytes: bytes('three') },
      {
        name: 'b.bin',
        bytes: async () => {
          throw new Error('killed');
        },
      },
    ]);
    await expect(interrupted).rejects.toThrow('killed');
    expect(await readdir(join(dir, 'epoch-0002'))).toEqual(['a.bin']);
    const { valid, problems } = await scanCheckpoints(dir);
    expect(valid.map((c) => c.epoch)).toEqual([1]);
    expect(problems).toEqual([
      {
        epoch: 2,
        dir: join(dir, 'epoch-0002'),
        code: 'CHECKPOINT_INCOMPLETE',
        message: 'no manifest.json: the checkpoint write was interrupted',
      },
    ]);
  });

  it('detects a flipped byte and falls back to the previous checkpoint', async () => {
    await writeCheckpoint(dir, 1, [{ name: 'w.bin', bytes: bytes('first') }]);
    await writeCheckpoint(dir, 2, [{ name: 'w.bin', bytes: bytes('second') }]);
    const path = join(dir, 'epoch-0002', 'w.bin');
    const content = await readFile(path);
    content[2] ^= 0x01;
    await writeFile(path, content);
    const { valid, problems } = await scanCheckpoints(dir);
    expect(valid.map((c) => c.epoch)).toEqual([1]);
    expect(problems.map((p) => [p.epoch, p.code, p.message])).toEqual([
      [2, 'CHECKPOINT_CORRUPT', 'w.bin does not match its sha256 in the manifest'],
    ]);
  });

  it('detects a truncated file and a damaged manifest', async () => {
    await writeCheckpoint(dir, 1, [{ name: 'w.bin', bytes: bytes('first') }]);
    await writeCheckpoint(dir, 2, [{ name: 'w.bin', bytes: bytes('second') }]);
    await writeFile(join(dir, 'epoch-0001', 'w.bin'), 'fir');
    await writeFile(join(dir, 'epoch-0002', 'manifest.json'), '{"version":1,');
    const { valid, problems } = await scanCheckpoints(dir);
    expect(valid).toEqual([]);
    expect(problems.map((p) => [p.epoch, p.code])).toEqual([
      [1, 'CHECKPOINT_CORRUPT'],
      [2, 'CHECKPOINT_CORRUPT'],
    ]);
    expect(problems[0].message).toBe('w.bin has 3 bytes, the manifest says 5');
  });

  it('rewrites an epoch whose earlier folder was left invalid, and prunes all but the kept epochs', async () => {
    await writeCheckpoint(dir, 1, [{ name: 'w.bin', bytes: bytes('1') }]);
    await writeFile(join(dir, 'stray.tmp'), 'x');
    await writeCheckpoint(dir, 2, [{ name: 'w.bin', bytes: bytes('2') }]);
    await writeCheckpoint(dir, 2, [{ name: 'w.bin', bytes: bytes('2b') }]);
    await writeCheckpoint(dir, 3, [{ name: 'w.bin', bytes: bytes('3') }]);
    await pruneCheckpoints(dir, new Set([1, 3]));
    expect((await readdir(dir)).sort()).toEqual([checkpointDirName(1), checkpointDirName(3)]);
  });

  it('refuses file names that would escape the folder', async () => {
    await expect(writeCheckpoint(dir, 1, [{ name: '../x', bytes: bytes('') }])).rejects.toThrow('invalid checkpoint file name');
  });
});
