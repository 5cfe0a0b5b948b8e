import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, test } from 'vitest';
import { DataError } from '../../../runtime/data/data-error.js';
import { decodeImage, decodeUprightJpegView, decodeWithSharp, MAX_INPUT_PIXELS } from '../../../runtime/data/decode-image.js';
import { decodeJpegView, JpegDecoder } from '../../../runtime/data/jpeg-decoder.js';
import { Random } from '../../../runtime/random.js';

const FIXTURES = path.join(import.meta.dirname, 'fixtures/jpeg-decoder');
const manifest = JSON.parse(await readFile(path.join(FIXTURES, 'cases.json'), 'utf8')) as {
  cases: { name: string; width: number; height: number }[];
};

async function pilPixels(name: string): Promise<Uint8Array> {
  const { data } = await sharp(path.join(FIXTURES, `${name}.pil.png`)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return new Uint8Array(data);
}

const fixture = (file: string) => readFile(path.join(FIXTURES, file));

describe('the WebAssembly libjpeg-turbo decoder (tools/data-fixtures/make_jpeg_fixtures.py)', () => {
  test.each(manifest.cases)('$name decodes to exactly the pixels Pillow gives', async ({ name, width, height }) => {
    const view = decodeJpegView(await fixture(`${name}.jpg`), MAX_INPUT_PIXELS);
    expect(view).not.toBeNull();
    expect([view!.width, view!.height]).toEqual([width, height]);
    expect(Buffer.from(view!.data).equals(Buffer.from(await pilPixels(name)))).toBe(true);
  });

  test.each(manifest.cases)('$name: the same pixels as sharp', async ({ name }) => {
    const bytes = await fixture(`${name}.jpg`);
    const ours = decodeUprightJpegView(bytes)!.data.slice();
    expect(Buffer.from(ours).equals(Buffer.from((await decodeWithSharp(bytes, name)).data))).toBe(true);
  });

  test('files it does not decode are left to sharp: CMYK, PNG, an EXIF rotation, too many pixels', async () => {
    const cmyk = await fixture('cmyk.jpg');
    expect(decodeJpegView(cmyk, MAX_INPUT_PIXELS)).toBeNull();
    expect((await decodeImage(cmyk, 'cmyk.jpg')).data.length).toBe(20 * 20 * 3);

    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#123456' } }).png().toBuffer();
    expect(decodeJpegView(png, MAX_INPUT_PIXELS)).toBeNull();

    const plain = await fixture('ycbcr-420-q90.jpg');
    const rotated = await sharp(plain).withMetadata({ orientation: 6 }).jpeg().toBuffer();
    expect(decodeUprightJpegView(rotated)).toBeNull();
    const turned = await decodeImage(rotated, 'rotated.jpg');
    expect([turned.width, turned.height]).toEqual([29, 37]);

    expect(decodeJpegView(plain, 37 * 29 - 1)).toBeNull();
    expect(decodeJpegView(plain, 37 * 29)).not.toBeNull();
  });

  test('a truncated or damaged file goes to sharp, which reports it; the next file decodes here again', async () => {
    const plain = await fixture('ycbcr-420-q90.jpg');
    const truncated = plain.subarray(0, Math.floor(plain.length * 0.6));
    expect(decodeJpegView(truncated, MAX_INPUT_PIXELS)).toBeNull();
    const error = await decodeImage(Buffer.from(truncated), 'train/cat/cut.jpg').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).code).toBe('BAD_IMAGE');
    expect((error as DataError).message).toMatch(/^train\/cat\/cut\.jpg: cannot decode image: /);

    const garbage = Buffer.concat([plain.subarray(0, 200), Buffer.alloc(300, 0x55)]);
    expect(decodeJpegView(garbage, MAX_INPUT_PIXELS)).toBeNull();

    const again = decodeJpegView(plain, MAX_INPUT_PIXELS);
    expect(Buffer.from(again!.data).equals(Buffer.from(await pilPixels('ycbcr-420-q90')))).toBe(true);
  });

  test('the SIMD kernels give the pixels of libjpeg-turbo C code: 60 generated photos of many sizes, subsamplings and qualities', async () => {
    const reference = new JpegDecoder(new URL('fixtures/jpeg-decoder-c-only.wasm', import.meta.url));
    const random = new Random(20261203);
    for (let i = 0; i < 60; i++) {
      const width = 1 + Math.floor(random.next() * (i < 40 ? 70 : 700));
      const height = 1 + Math.floor(random.next() * 70);
      const raw = Buffer.alloc(width * height * 3);
      const noise = random.next() * 255;
      for (let p = 0, at = 0; p < width * height; p++) {
        const x = p % width;
        const y = Math.floor(p / width);
        // Gradients, hard edges and noise of every amplitude up to full range (large coefficients).
        raw[at++] = 128 + 120 * Math.sin(x / (2 + i) + y / 5) + noise * (random.next() - 0.5);
        raw[at++] = (x ^ y) & 8 ? 250 : 5;
        raw[at++] = Math.min(255, (x * y) % 256 + noise * random.next());
      }
      const options = { quality: 10 + Math.floor(random.next() * 91), chromaSubsampling: random.next() < 0.5 ? '4:2:0' : '4:4:4', progressive: random.next() < 0.3 };
      let image = sharp(raw, { raw: { width, height, channels: 3 } });
      if (i % 10 === 9) image = image.greyscale();
      const bytes = await image.jpeg(options).toBuffer();
      const simd = decodeJpegView(bytes, MAX_INPUT_PIXELS)!.data.slice();
      const c = reference.decode(bytes, MAX_INPUT_PIXELS)!.data;
      expect({ i, width, height, options, same: Buffer.from(simd).equals(Buffer.from(c)) }).toEqual({ i, width, height, options, same: true });
    }
  });

  test('a view is overwritten by the next decode; decodeImage returns its own copy', async () => {
    const a = await fixture('ycbcr-420-q90.jpg');
    const b = await fixture('grey.jpg');
    const copied = await decodeImage(a, 'a.jpg');
    const view = decodeJpegView(a, MAX_INPUT_PIXELS)!;
    const before = view.data.slice();
    decodeJpegView(b, MAX_INPUT_PIXELS);
    expect(Buffer.from(view.data).equals(Buffer.from(before))).toBe(false);
    expect(Buffer.from(copied.data).equals(Buffer.from(before))).toBe(true);
  });
});
