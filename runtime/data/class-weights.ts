import type { ImageSample } from './types.js';

/**
 * Per-class loss weights from the training split: `complement` is the seed
 * project's 1 - n_c / N, `balanced` is scikit-learn's N / (C * n_c). A class
 * with no training image gets weight 0 under `balanced` (it never appears as
 * a target, so its weight is never used). `none` gives null: unweighted loss.
 */
export function classWeights(
  kind: 'none' | 'complement' | 'balanced',
  samples: readonly ImageSample[],
  numClasses: number,
): Float32Array | null {
  if (kind === 'none') return null;
  const counts = new Array<number>(numClasses).fill(0);
  for (const sample of samples) counts[sample.label] += 1;
  const total = samples.length;
  const weights = new Float32Array(numClasses);
  for (let c = 0; c < numClasses; c++) {
    if (kind === 'complement') weights[c] = total === 0 ? 0 : 1 - counts[c] / total;
    else weights[c] = counts[c] === 0 ? 0 : total / (numClasses * counts[c]);
  }
  return weights;
}
