import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { Random } from '../../../runtime/random.js';
import { randomResizedCropBox, scaleBox } from '../../../runtime/data/random-resized-crop.js';

interface Stats {
  top: number;
  left: number;
  height: number;
  width: number;
  area: number;
}
interface CropCase {
  width: number;
  height: number;
  scale: [number, number];
  ratio: [number, number];
  draws: number;
  mean: Stats;
  std: Stats;
  full_image_fraction: number;
}

const fixture = JSON.parse(await readFile(path.join(import.meta.dirname, 'fixtures', 'random-resized-crop.json'), 'utf8')) as { cases: CropCase[] };

describe('RandomResizedCrop box sampling matches torchvision statistics (8,000 draws against 20,000 from torchvision)', () => {
  test.each(fixture.cases)('$width x $height, scale $scale, ratio $ratio', (c) => {
    const random = new Random(12345);
    const draws = 8000;
    const boxes = Array.from({ length: draws }, () => randomResizedCropBox(c.width, c.height, c.scale, c.ratio, random));
    const outside = boxes.filter((b) => b.left < 0 || b.top < 0 || b.left + b.width > c.width || b.top + b.height > c.height);
    expect(outside).toEqual([]);
    const keys: (keyof Stats)[] = ['top', 'left', 'height', 'width', 'area'];
    for (const key of keys) {
      const values = boxes.map((b) => (key === 'area' ? b.width * b.height : b[key]));
      const mean = values.reduce((a, b) => a + b, 0) / draws;
      const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / draws);
      // Two independent samples: the means differ by < 5 standard errors of their difference.
      const standardError = Math.sqrt(1 / draws + 1 / c.draws) * Math.max(c.std[key], 1e-9);
      expect(Math.abs(mean - c.mean[key]), `${key} mean`).toBeLessThanOrEqual(5 * standardError + 1e-9);
      expect(Math.abs(std - c.std[key]), `${key} std`).toBeLessThanOrEqual(0.06 * c.std[key] + 1e-9);
    }
    const full = boxes.filter((b) => b.width === c.width && b.height === c.height).length / draws;
    expect(Math.abs(full - c.full_image_fraction)).toBeLessThan(0.02);
  });

  test('the fallback is the central crop clamped to the ratio range', () => {
    const random = new Random(1);
    // No box with area >= 99% fits a 50 x 50 image at ratio 0.5-0.6: the central crop at ratio 0.6.
    expect(randomResizedCropBox(50, 50, [0.99, 1], [0.5, 0.6], random)).toEqual({ left: 10, top: 0, width: 30, height: 50 });
    expect(randomResizedCropBox(600, 40, [0.99, 1], [3 / 4, 4 / 3], random)).toEqual({ left: 273, top: 0, width: 53, height: 40 });
  });

  test('the same seed draws the same boxes', () => {
    const a = Array.from({ length: 5 }, ((r) => () => randomResizedCropBox(300, 200, [0.2, 1], [3 / 4, 4 / 3], r))(new Random(9)));
    const b = Array.from({ length: 5 }, ((r) => () => randomResizedCropBox(300, 200, [0.2, 1], [3 / 4, 4 / 3], r))(new Random(9)));
    expect(a).toEqual(b);
  });

  test('boxes map onto a downscaled copy by proportion, never leaving it', () => {
    expect(scaleBox({ left: 100, top: 50, width: 200, height: 100 }, { width: 1000, height: 500 }, { width: 500, height: 250 })).toEqual({
      left: 50,
      top: 25,
      width: 100,
      height: 50,
    });
    expect(scaleBox({ left: 999, top: 0, width: 1, height: 1 }, { width: 1000, height: 10 }, { width: 100, height: 1 })).toEqual({
      left: 99,
      top: 0,
      width: 1,
      height: 1,
    });
  });
});
