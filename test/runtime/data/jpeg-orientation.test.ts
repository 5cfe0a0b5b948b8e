import sharp from 'sharp';
import { describe, expect, test } from 'vitest';
import { decodeImage } from '../../../runtime/data/decode-image.js';
import { jpegOrientation } from '../../../runtime/data/jpeg-orientation.js';

/** 12 x 8 pixels, every one different, so any turn or flip shows. */
const raw = Buffer.from(Array.from({ length: 12 * 8 * 3 }, (_, i) => (i * 37) % 256));
const jpeg = (orientation?: number) => {
  const image = sharp(raw, { raw: { width: 12, height: 8, channels: 3 } });
  return (orientation ? image.withMetadata({ orientation }) : image).jpeg({ quality: 100 }).toBuffer();
};

describe('the EXIF orientation of a JPEG, read from its header', () => {
  test('is each of the eight values, and 1 without a tag', async () => {
    for (let orientation = 1; orientation <= 8; orientation++) expect(jpegOrientation(await jpeg(orientation))).toBe(orientation);
    expect(jpegOrientation(await jpeg())).toBe(1);
  });

  test('is null for other formats and for headers it cannot follow', async () => {
    expect(jpegOrientation(await sharp(raw, { raw: { width: 12, height: 8, channels: 3 } }).png().toBuffer())).toBeNull();
    expect(jpegOrientation(new Uint8Array([0xff, 0xd8, 0xff]))).toBeNull();
    const broken = Buffer.from(await jpeg(6));
    broken.writeUInt16BE(0xffff, 4); // the first segment's length runs past the end
    expect(jpegOrientation(broken)).toBeNull();
  });

  test('decoding gives what libvips auto-rotation gives, for every orientation', async () => {
    for (const orientation of [undefined, 1, 2, 3, 4, 5, 6, 7, 8]) {
      const bytes = await jpeg(orientation);
      const expected = await sharp(bytes, { ignoreIcc: true }).rotate().raw().toBuffer({ resolveWithObject: true });
      const decoded = await decodeImage(bytes, 'x.jpg');
      expect([decoded.width, decoded.height], `orientation ${orientation}`).toEqual([expected.info.width, expected.info.height]);
      expect(Buffer.from(decoded.data).equals(expected.data), `orientation ${orientation}`).toBe(true);
    }
  });
});
