import type { LossConfig } from '../../compiler/types/run-config.js';

/**
 * Per-class loss weights from the training split's class counts:
 * `complement` is the seed's 1 - n_c / N, `balanced` sklearn's N / (C * n_c);
 * `none` gives null (the unweighted mean). A class without training images
 * gets weight 0 under `balanced` (it never appears as a target).
 */
export function computeClassWeights(kind: LossConfig['class_weights'], counts: readonly number[]): Float32Array | null {
  if (kind === 'none') return null;
  const total = counts.reduce((sum, n) => sum + n, 0);
  if (total === 0) throw new Error('class weights need at least one training image');
  const numClasses = counts.length;
  return Float32Array.from(counts, (n) => {
    if (kind === 'complement') return 1 - n / total;
    return n === 0 ? 0 : total / (numClasses * n);
  });
}

/** Class counts of a list of labels. */
export function countClasses(labels: Iterable<number>, numClasses: number): number[] {
  const counts = new Array<number>(numClasses).fill(0);
  for (const label of labels) counts[label] += 1;
  return counts;
}
