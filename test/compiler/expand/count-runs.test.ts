import { describe, expect, it } from 'vitest';
import { countExcluded } from '../../../compiler/expand/count-runs.js';

describe('countExcluded', () => {
  it('counts the union of exclude entries exactly (inclusion-exclusion)', () => {
    // 3 x 2 axes; {a0} matches 2, {b1} matches 3, both match (a0, b1): union 4.
    expect(countExcluded([3n, 2n], [new Map([[0, 0]]), new Map([[1, 1]])])).toBe(4n);
    // Conflicting entries on one axis never intersect.
    expect(countExcluded([3n, 2n], [new Map([[0, 0]]), new Map([[0, 1]])])).toBe(4n);
  });

  it('stays exact and fast with many mutually compatible entries (budget exceeded: enumeration)', () => {
    const sizes = Array.from({ length: 18 }, () => 2n);
    const constraints = Array.from({ length: 18 }, (_, axis) => new Map([[axis, 0]]));
    const start = performance.now();
    // Every combination except the all-ones one has some axis at 0.
    expect(countExcluded(sizes, constraints)).toBe(2n ** 18n - 1n);
    expect(performance.now() - start).toBeLessThan(20_000);
  });

  it('falls back to a lower bound of the run count (upper bound of exclusions) beyond enumeration', () => {
    const sizes = Array.from({ length: 40 }, () => 2n);
    const constraints = Array.from({ length: 40 }, (_, axis) => new Map([[axis, 0]]));
    expect(countExcluded(sizes, constraints)).toBe(40n * 2n ** 39n);
  });
});
