import { describe, expect, test } from 'vitest';
import { classWeights } from '../../../runtime/data/class-weights.js';

const samples = [0, 0, 0, 0, 0, 0, 1, 1, 2, 2].map((label, i) => ({ file: `f${i}.png`, label }));

describe('classWeights', () => {
  test('none is an unweighted loss', () => {
    expect(classWeights('none', samples, 3)).toBeNull();
  });

  test('complement is 1 - n_c / N', () => {
    expect(Array.from(classWeights('complement', samples, 3)!)).toEqual([0.4, 0.8, 0.8].map(Math.fround));
  });

  test("balanced is N / (C n_c), sklearn's compute_class_weight", () => {
    expect(Array.from(classWeights('balanced', samples, 3)!)).toEqual([10 / 18, 10 / 6, 10 / 6].map(Math.fround));
  });

  test('a class without training images gets weight 0 under balanced', () => {
    expect(Array.from(classWeights('balanced', samples, 4)!)).toEqual([10 / 24, 10 / 8, 10 / 8, 0].map(Math.fround));
  });
});
