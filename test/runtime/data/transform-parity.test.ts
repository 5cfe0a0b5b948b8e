import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, test } from 'vitest';
import { decodeVariant } from '../../../runtime/data/image-loader.js';
import { cropAndResize } from '../../../runtime/data/decode-image.js';
import { rotateNearest } from '../../../runtime/data/flip-rotate.js';
import { normalizeInto } from '../../../runtime/data/normalize.js';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');

interface TransformCase {
  name: string;
  input: string;
  expected: string;
  image_size: number;
  resize_noop: boolean;
}

const manifest = JSON.parse(await readFile(path.join(FIXTURES, 'transforms.json'), 'utf8')) as {
  cases: TransformCase[];
  rotations: number[];
  normalized_first_row: { case: string; values: number[] };
  resized_crops: { input: string; top: number; left: number; width: number; height: number; size: number; expected: string }[];
};

async function rawPixels(file: string): Promise<Uint8Array> {
  const { data } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return new Uint8Array(data);
}

function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  expect(a.length).toBe(b.length);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum / a.length;
}

async function ours(c: TransformCase): Promise<Uint8Array> {
  const bytes = await readFile(path.join(FIXTURES, 'transforms', c.input));
  return (await decodeVariant(bytes, c.input, 'eval', c.image_size)).data;
}

describe('eval transform parity with torchvision (tools/data-fixtures/make_fixtures.py)', () => {
  // PNG decodes identically, and the resize is PIL's own algorithm: every pixel matches,
  // with or without resizing (the issue asks < 2/255 for resized images).
  test.each(manifest.cases.filter((c) => c.input.endsWith('.png')))('$name: identical pixels', async (c) => {
    const expected = await rawPixels(path.join(FIXTURES, 'transforms', c.expected));
    expect(meanAbsDiff(await ours(c), expected)).toBe(0);
  });

  // JPEG goes through two different libjpeg builds (sharp's mozjpeg, PIL's libjpeg-turbo).
  test.each(manifest.cases.filter((c) => !c.input.endsWith('.png')))('$name: mean abs diff under 2/255', async (c) => {
    const expected = await rawPixels(path.join(FIXTURES, 'transforms', c.expected));
    expect(meanAbsDiff(await ours(c), expected)).toBeLessThan(2);
  });

  test.each(manifest.resized_crops)('resized_crop to $size of box $left,$top $width x $height is identical', async (c) => {
    const source = await rawPixels(path.join(FIXTURES, 'transforms', c.input));
    const { width, height } = await sharp(path.join(FIXTURES, 'transforms', c.input)).metadata();
    const cropped = cropAndResize({ width: width!, height: height!, data: source }, c, c.size);
    expect(meanAbsDiff(cropped.data, await rawPixels(path.join(FIXTURES, 'transforms', c.expected)))).toBe(0);
  });

  test('ToTensor + Normalize values equal PyTorch float32 exactly', async () => {
    const c = manifest.cases.find((x) => x.name === manifest.normalized_first_row.case)!;
    const pixels = await ours(c);
    const out = new Float32Array(pixels.length);
    normalizeInto(pixels, out, 0);
    expect(Array.from(out.subarray(0, manifest.normalized_first_row.values.length))).toEqual(
      manifest.normalized_first_row.values.map(Math.fround),
    );
  });

  test.each(manifest.rotations)('rotation by %f degrees matches PIL NEAREST with zero fill', async (degrees) => {
    const source = await rawPixels(path.join(FIXTURES, 'transforms', 'rotate.input.png'));
    const expected = await rawPixels(path.join(FIXTURES, 'transforms', `rotate-${degrees.toFixed(1)}.expected.png`));
    const rotated = rotateNearest({ width: 32, height: 32, data: source }, degrees).data;
    let differing = 0;
    for (let i = 0; i < rotated.length; i += 3) if (rotated[i] !== expected[i] || rotated[i + 1] !== expected[i + 1]) differing++;
    expect(differing).toBe(0);
  });
});
