import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, test } from 'vitest';
import { DataError } from '../../../runtime/data/data-error.js';
import { decodeImage, MAX_INPUT_PIXELS } from '../../../runtime/data/decode-image.js';
import { noiseImage } from './corpus.js';

const RED = { r: 200, g: 30, b: 40 };
const solid = (width: number, height: number, channels: 3 | 4 = 3, alpha = 1) =>
  sharp({ create: { width, height, channels, background: { ...RED, alpha } } });

async function pixelAt(bytes: Buffer, x = 0, y = 0) {
  const image = await decodeImage(bytes, 'x.img');
  const i = (y * image.width + x) * 3;
  return { width: image.width, height: image.height, rgb: Array.from(image.data.subarray(i, i + 3)) };
}

function near(actual: number[], expected: number[], tolerance: number) {
  actual.forEach((value, i) => expect(Math.abs(value - expected[i]), `channel ${i}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance));
}

describe('every readable image becomes 8-bit sRGB with 3 channels', () => {
  test('CMYK JPEG is converted to RGB', async () => {
    // A colour inside the CMYK gamut, so the round trip through the CMYK profile keeps it.
    const bytes = await sharp({ create: { width: 16, height: 8, channels: 3, background: { r: 120, g: 140, b: 100 } } })
      .toColourspace('cmyk')
      .jpeg()
      .toBuffer();
    expect((await sharp(bytes).metadata()).space).toBe('cmyk');
    near((await pixelAt(bytes)).rgb, [120, 140, 100], 8);
  });

  test('16-bit PNG is scaled to 8 bits', async () => {
    const bytes = await solid(16, 8).toColourspace('rgb16').png().toBuffer();
    expect((await sharp(bytes).metadata()).depth).toBe('ushort');
    near((await pixelAt(bytes)).rgb, [RED.r, RED.g, RED.b], 1);
  });

  test('RGBA is flattened on black', async () => {
    const bytes = await solid(8, 8, 4, 0.5).png().toBuffer();
    near((await pixelAt(bytes)).rgb, [100, 15, 20], 1);
  });

  test('palette PNG is expanded', async () => {
    const bytes = await solid(8, 8).png({ palette: true }).toBuffer();
    expect((await sharp(bytes).metadata()).isPalette).toBe(true);
    near((await pixelAt(bytes)).rgb, [RED.r, RED.g, RED.b], 2);
  });

  test('greyscale is replicated to three channels', async () => {
    const bytes = await sharp(Buffer.alloc(64, 77), { raw: { width: 8, height: 8, channels: 1 } }).toColourspace('b-w').png().toBuffer();
    expect((await sharp(bytes).metadata()).channels).toBe(1);
    expect((await pixelAt(bytes)).rgb).toEqual([77, 77, 77]);
  });

  test('EXIF orientation is applied (6: stored image turned 90 degrees clockwise)', async () => {
    // Stored 40 x 20: left half red, right half blue.
    const raw = Buffer.alloc(40 * 20 * 3);
    for (let i = 0; i < 40 * 20; i++) raw.set((i % 40) < 20 ? [255, 0, 0] : [0, 0, 255], i * 3);
    const bytes = await sharp(raw, { raw: { width: 40, height: 20, channels: 3 } }).png().withMetadata({ orientation: 6 }).toBuffer();
    const top = await pixelAt(bytes, 5, 2);
    expect([top.width, top.height]).toEqual([20, 40]);
    near(top.rgb, [255, 0, 0], 2);
    near((await pixelAt(bytes, 5, 37)).rgb, [0, 0, 255], 2);
  });

  test('an embedded ICC profile is ignored, as PIL does: the stored values are the pixels', async () => {
    // Stored in Display P3 with its profile embedded, as phone photos are; torchvision's
    // PIL path hands the stored values on, so the same JPEG without the profile decodes alike.
    const raw = Buffer.alloc(24 * 16 * 3);
    for (let i = 0; i < raw.length; i++) raw[i] = (i * 53) % 256;
    const withProfile = await sharp(raw, { raw: { width: 24, height: 16, channels: 3 } }).withIccProfile('p3').jpeg({ quality: 95 }).toBuffer();
    const withoutProfile = withoutIccSegments(withProfile);
    expect((await sharp(withProfile).metadata()).icc?.length).toBeGreaterThan(0);
    expect((await sharp(withoutProfile).metadata()).icc).toBeUndefined();
    const [a, b] = await Promise.all([decodeImage(withProfile, 'p3.jpg'), decodeImage(withoutProfile, 'plain.jpg')]);
    expect(Buffer.from(a.data).equals(Buffer.from(b.data))).toBe(true);
  });

  test('an animated GIF gives its first frame', async () => {
    const frames = Buffer.concat([Buffer.alloc(8 * 8 * 3, 250), Buffer.alloc(8 * 8 * 3, 5)]);
    const bytes = await sharp(frames, { raw: { width: 8, height: 16, channels: 3, pageHeight: 8 } as never }).gif().toBuffer();
    const first = await pixelAt(bytes);
    expect([first.width, first.height]).toEqual([8, 8]);
    near(first.rgb, [250, 250, 250], 4);
  });
});

describe('a file that cannot be decoded is a BAD_IMAGE error naming it', () => {
  const cases: [string, () => Promise<Buffer>][] = [
    ['zero bytes', async () => Buffer.alloc(0)],
    ['truncated JPEG', async () => (await noiseImage(120, 90, 3, 'jpeg')).subarray(0, 2000)],
    ['truncated PNG', async () => (await noiseImage(120, 90, 3, 'png')).subarray(0, 3000)],
    ['corrupt bytes', async () => Buffer.from(Array.from({ length: 500 }, (_, i) => (i * 37) % 256))],
    ['HTML saved as .jpg', async () => Buffer.from('<!DOCTYPE html><html><body>Not found</body></html>')],
  ];
  test.each(cases)('%s', async (_name, make) => {
    const error = await decodeImage(await make(), 'train/cat/broken.jpg').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).code).toBe('BAD_IMAGE');
    expect((error as DataError).file).toBe('train/cat/broken.jpg');
    expect((error as DataError).message).toMatch(/^train\/cat\/broken\.jpg: cannot decode image: /);
  });

  test('a decompression bomb is refused from its header', async () => {
    // A valid 1 x 1 PNG whose header claims 20000 x 10000 pixels.
    const png = Buffer.from(await solid(1, 1).png().toBuffer());
    png.writeUInt32BE(20000, 16);
    png.writeUInt32BE(10000, 20);
    png.writeUInt32BE(crc32(png.subarray(12, 29)) >>> 0, 29);
    expect(20000 * 10000).toBeGreaterThan(MAX_INPUT_PIXELS);
    const error = (await decodeImage(png, 'bomb.png').catch((e: unknown) => e)) as DataError;
    expect(error.code).toBe('BAD_IMAGE');
    expect(error.message).toMatch(/^bomb\.png: cannot decode image: .*pixel limit/);
  });
});

/** The JPEG with its APP2 ICC_PROFILE segments removed; the compressed image data stays byte for byte. */
function withoutIccSegments(jpeg: Buffer): Buffer {
  const parts: Buffer[] = [jpeg.subarray(0, 2)];
  let at = 2;
  while (at < jpeg.length && jpeg[at] === 0xff && jpeg[at + 1] !== 0xda) {
    const length = jpeg.readUInt16BE(at + 2);
    const segment = jpeg.subarray(at, at + 2 + length);
    if (!(jpeg[at + 1] === 0xe2 && segment.subarray(4, 16).toString('latin1') === 'ICC_PROFILE\0')) parts.push(segment);
    at += 2 + length;
  }
  parts.push(jpeg.subarray(at));
  return Buffer.concat(parts);
}
