import { Random } from '../random.js';

/**
 * Validation split counts exactly like scikit-learn's StratifiedShuffleSplit
 * (and ShuffleSplit without stratification): n_val = ceil(fraction * n),
 * n_train = n - n_val; per class, train gets floor(n_c / n * n_train) and
 * the leftover draws go to the classes with the largest fractional parts
 * (`_approximate_mode`), ties broken by our seeded PRNG where sklearn uses
 * numpy's; the rest of each class is validation. The counts therefore equal
 * sklearn's whenever no tie decides them, and the members are a seeded
 * permutation of each class.
 */
export interface SplitCounts {
  readonly train: readonly number[];
  readonly validation: readonly number[];
}

/** Why a split is impossible, in the words sklearn's errors use; null when it is possible. */
export function splitProblem(classCounts: readonly number[], fraction: number, stratify: boolean): string | null {
  const n = classCounts.reduce((a, b) => a + b, 0);
  const nValidation = Math.ceil(fraction * n);
  const nTrain = n - nValidation;
  if (nTrain < 1 || nValidation < 1) return `${n} images cannot be split with validation fraction ${fraction}`;
  if (!stratify) return null;
  const least = Math.min(...classCounts);
  if (least < 2) return `a stratified split needs at least 2 images per class; the smallest class has ${least}`;
  if (nTrain < classCounts.length || nValidation < classCounts.length) {
    return `a stratified split of ${n} images with validation fraction ${fraction} gives ${nTrain} train and ${nValidation} validation images, fewer than the ${classCounts.length} classes`;
  }
  return null;
}

export function stratifiedSplitCounts(classCounts: readonly number[], fraction: number, random: Random): SplitCounts {
  const n = classCounts.reduce((a, b) => a + b, 0);
  const nValidation = Math.ceil(fraction * n);
  const train = approximateMode(classCounts, n - nValidation, random);
  const remaining = classCounts.map((count, i) => count - train[i]);
  const validation = approximateMode(remaining, nValidation, random);
  return { train, validation };
}

/** sklearn.utils._approximate_mode: the most likely multivariate hypergeometric draw. */
export function approximateMode(classCounts: readonly number[], draws: number, random: Random): number[] {
  const total = classCounts.reduce((a, b) => a + b, 0);
  const continuous = classCounts.map((count) => (count / total) * draws);
  const floored = continuous.map(Math.floor);
  let needToAdd = draws - floored.reduce((a, b) => a + b, 0);
  if (needToAdd > 0) {
    const remainder = continuous.map((value, i) => value - floored[i]);
    const values = [...new Set(remainder)].sort((a, b) => b - a);
    for (const value of values) {
      const indices = remainder.flatMap((r, i) => (r === value ? [i] : []));
      const addNow = Math.min(indices.length, needToAdd);
      for (const i of random.shuffled(indices).slice(0, addNow)) floored[i] += 1;
      needToAdd -= addNow;
      if (needToAdd === 0) break;
    }
  }
  return floored;
}

/**
 * Splits `items` (one list per class) into train and validation members:
 * stratified per class with the counts above, or, without stratification,
 * ShuffleSplit's one permutation of everything.
 */
export function splitMembers<T>(
  byClass: readonly (readonly T[])[],
  fraction: number,
  stratify: boolean,
  seed: number,
): { train: T[]; validation: T[] } {
  const random = new Random(seed);
  if (!stratify) {
    const all = byClass.flat();
    const order = random.permutation(all.length);
    const nValidation = Math.ceil(fraction * all.length);
    return {
      validation: order.slice(0, nValidation).map((i) => all[i]),
      train: order.slice(nValidation).map((i) => all[i]),
    };
  }
  const counts = stratifiedSplitCounts(
    byClass.map((items) => items.length),
    fraction,
    random,
  );
  const train: T[] = [];
  const validation: T[] = [];
  byClass.forEach((items, c) => {
    const order = random.permutation(items.length);
    train.push(...order.slice(0, counts.train[c]).map((i) => items[i]));
    validation.push(...order.slice(counts.train[c], counts.train[c] + counts.validation[c]).map((i) => items[i]));
  });
  return { train, validation };
}
