import * as tf from '../backend/tf.js';

/**
 * Cross-entropy as torch.nn.functional.cross_entropy(reduction='mean') defines
 * it with `weight` and `label_smoothing` (ATen's cross_entropy_loss_label_smoothing):
 *
 *   nll    = sum_i w[y_i] * -log p_i[y_i]       / sum_i w[y_i]
 *   smooth = sum_i sum_c w[c] * -log p_i[c]     / sum_i w[y_i]
 *   loss   = (1 - eps) * nll + eps / C * smooth
 *
 * Without weights every w is 1, so both sums are divided by the batch size.
 */
export interface LossOptions {
  /** One weight per class, or null for the unweighted mean. */
  readonly classWeights: Float32Array | null;
  readonly labelSmoothing: number;
}

/** The loss of one batch as a scalar tensor (differentiable; call inside a tidy). */
export function crossEntropy(
  logits: tf.Tensor2D,
  labels: tf.Tensor1D,
  classWeights: tf.Tensor1D | null,
  labelSmoothing: number,
): tf.Scalar {
  const numClasses = logits.shape[1];
  const logProbs = tf.logSoftmax(logits);
  const oneHot = tf.oneHot(tf.cast(labels, 'int32'), numClasses).toFloat();
  const nllPerSample = tf.neg(tf.sum(tf.mul(oneHot, logProbs), 1));
  const smoothPerSample = tf.neg(tf.sum(classWeights === null ? logProbs : tf.mul(logProbs, classWeights), 1));
  let nll: tf.Scalar;
  let smooth: tf.Scalar;
  if (classWeights === null) {
    nll = tf.mean(nllPerSample);
    smooth = tf.mean(smoothPerSample);
  } else {
    const sampleWeights = tf.gather(classWeights, tf.cast(labels, 'int32'));
    const total = tf.sum(sampleWeights);
    nll = tf.div(tf.sum(tf.mul(sampleWeights, nllPerSample)), total);
    smooth = tf.div(tf.sum(smoothPerSample), total);
  }
  if (labelSmoothing === 0) return nll;
  return tf.add(tf.mul(nll, 1 - labelSmoothing), tf.mul(smooth, labelSmoothing / numClasses));
}

/** Row-wise log-softmax in float64 of `rows` rows of `numClasses` logits. */
export function logSoftmaxRows(logits: ArrayLike<number>, numClasses: number): Float64Array {
  const out = new Float64Array(logits.length);
  for (let start = 0; start < logits.length; start += numClasses) {
    let max = -Infinity;
    for (let c = 0; c < numClasses; c++) max = Math.max(max, logits[start + c]);
    let sum = 0;
    for (let c = 0; c < numClasses; c++) sum += Math.exp(logits[start + c] - max);
    const logSum = max + Math.log(sum);
    for (let c = 0; c < numClasses; c++) out[start + c] = logits[start + c] - logSum;
  }
  return out;
}

/** The same loss in float64 on the CPU, from log-probabilities (for evaluation, where logits are read back anyway). */
export function crossEntropyFromLogProbs(
  logProbs: ArrayLike<number>,
  labels: ArrayLike<number>,
  numClasses: number,
  options: LossOptions,
): number {
  const weight = (c: number): number => (options.classWeights === null ? 1 : options.classWeights[c]);
  let nll = 0;
  let smooth = 0;
  let total = 0;
  for (let i = 0; i < labels.length; i++) {
    const row = i * numClasses;
    const w = weight(labels[i]);
    nll -= w * logProbs[row + labels[i]];
    for (let c = 0; c < numClasses; c++) smooth -= weight(c) * logProbs[row + c];
    total += w;
  }
  const eps = options.labelSmoothing;
  return (1 - eps) * (nll / total) + (eps / numClasses) * (smooth / total);
}
