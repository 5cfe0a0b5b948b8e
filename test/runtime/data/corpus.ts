import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll } from 'vitest';

const created: string[] = [];

// Every test file that builds corpora removes them when it ends.
afterAll(async () => {
  await Promise.all(created.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A temporary folder for one test's corpus, removed after the test file. */
export async function tempRoot(prefix = 'sweepspec-data-'): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** A deterministic noisy RGB image (so JPEG and resizing have real work), encoded as `format`. */
export async function noiseImage(width: number, height: number, seed: number, format: 'png' | 'jpeg' = 'png'): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  let state = seed * 2654435761 + 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      const i = (y * width + x) * 3;
      raw[i] = (x * 255) / width;
      raw[i + 1] = (y * 255) / height;
      raw[i + 2] = state >>> 24;
    }
  }
  const image = sharp(raw, { raw: { width, height, channels: 3 } });
  return format === 'png' ? image.png().toBuffer() : image.jpeg({ quality: 92 }).toBuffer();
}

/** Writes files given as relative path -> bytes under root. */
export async function writeTree(root: string, files: Record<string, Buffer | string>): Promise<void> {
  for (const [relative, bytes] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, relative)), { recursive: true });
    await writeFile(path.join(root, relative), bytes);
  }
}

/** A balanced ImageFolder split: `classes` folders with `perClass` small PNGs each. */
export async function writeImageFolder(root: string, split: string, counts: Record<string, number>, size = 40): Promise<void> {
  let seed = 1;
  for (const [name, count] of Object.entries(counts)) {
    for (let i = 0; i < count; i++) {
      await writeTree(root, { [`${split}/${name}/img${String(i).padStart(3, '0')}.png`]: await noiseImage(size + (i % 3) * 4, size, seed++) });
    }
  }
}
