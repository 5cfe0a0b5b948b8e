import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { Random } from '../../../runtime/random.js';
import { splitMembers, splitProblem, stratifiedSplitCounts } from '../../../runtime/data/stratified-split.js';

interface SplitCase {
  counts: number[];
  fraction: number;
  /** Every per-class count sklearn produced over 200 random states (one entry when no tie is decided by the RNG). */
  stratified: { train: number[]; validation: number[] }[];
  shuffle_sizes: { train: number; validation: number };
}

const fixture = JSON.parse(await readFile(path.join(import.meta.dirname, 'fixtures', 'stratified-split.json'), 'utf8')) as {
  cases: SplitCase[];
};

describe("validation split counts equal sklearn's StratifiedShuffleSplit", () => {
  test.each(fixture.cases)('classes $counts, fraction $fraction', (c) => {
    const ours = new Set<string>();
    for (let seed = 0; seed < 200; seed++) {
      const counts = stratifiedSplitCounts(c.counts, c.fraction, new Random(seed));
      ours.add(JSON.stringify({ train: counts.train, validation: counts.validation }));
    }
    const theirs = new Set(c.stratified.map((s) => JSON.stringify({ train: s.train, validation: s.validation })));
    // The same outcomes: identical counts when no tie is involved, the same tie alternatives otherwise.
    expect([...ours].sort()).toEqual([...theirs].sort());
  });

  test.each(fixture.cases)('without stratification, sizes equal ShuffleSplit: $counts', (c) => {
    const byClass = c.counts.map((count, label) => Array.from({ length: count }, (_, i) => `${label}/${i}`));
    const { train, validation } = splitMembers(byClass, c.fraction, false, 3);
    expect({ train: train.length, validation: validation.length }).toEqual(c.shuffle_sizes);
  });
});

describe('split members', () => {
  const byClass = [10, 4, 7].map((count, label) => Array.from({ length: count }, (_, i) => `${label}/${i}`));

  test('every item lands in exactly one side, class by class as the counts say', () => {
    const { train, validation } = splitMembers(byClass, 0.3, true, 42);
    expect([...train, ...validation].sort()).toEqual(byClass.flat().sort());
    const perClass = (items: string[]) => [0, 1, 2].map((c) => items.filter((x) => x.startsWith(`${c}/`)).length);
    const counts = stratifiedSplitCounts([10, 4, 7], 0.3, new Random(42));
    expect(perClass(train)).toEqual(counts.train);
    expect(perClass(validation)).toEqual(counts.validation);
  });

  test('the same seed gives the same split; another seed another one', () => {
    expect(splitMembers(byClass, 0.3, true, 42)).toEqual(splitMembers(byClass, 0.3, true, 42));
    expect(splitMembers(byClass, 0.3, true, 43).validation).not.toEqual(splitMembers(byClass, 0.3, true, 42).validation);
  });

  test('splits sklearn refuses are refused with its reason', () => {
    expect(splitProblem([5, 1], 0.2, true)).toBe('a stratified split needs at least 2 images per class; the smallest class has 1');
    expect(splitProblem([2, 2, 2], 0.2, true)).toBe(
      'a stratified split of 6 images with validation fraction 0.2 gives 4 train and 2 validation images, fewer than the 3 classes',
    );
    expect(splitProblem([1], 0.5, false)).toBe('1 images cannot be split with validation fraction 0.5');
    expect(splitProblem([5, 1], 0.2, false)).toBeNull();
    expect(splitProblem([3, 3, 3], 0.34, true)).toBeNull();
  });
});
