/**
 * BatchNorm2d over NHWC with PyTorch's semantics (eps 1e-5, momentum 0.1,
 * running variance unbiased, normalisation with the biased batch variance).
 *
 * Training mode uses a custom gradient: tfjs-core's BatchNorm gradient tiles
 * rsqrt(var) to the activation's size (wasm's Tile alone took 18% of a step);
 * here every per-channel factor stays a [C] vector that broadcasts:
 *   xc = x - mean, rstd = 1/sqrt(var + eps), y = xc * (gamma*rstd) + beta
 *   dbeta = sum(dy), dgamma = sum(dy * xc) * rstd
 *   dx = gamma*rstd * (dy - dbeta/N - xc * rstd^2 * dgamma / (rstd N))
 */
import { nativeOps, type NativeOps } from '../backend/native-ops.js';
import * as tf from '../backend/tf.js';

export const BATCH_NORM_EPS = 1e-5;
export const BATCH_NORM_MOMENTUM = 0.1;
const AXES = [0, 1, 2];

export interface BatchStatistics {
  /** Kept tensors: the caller disposes them. */
  readonly mean: tf.Tensor1D;
  readonly variance: tf.Tensor1D;
  readonly count: number;
}

/** Training-mode BatchNorm; returns y and the batch statistics (kept). */
export function batchNormTraining(x: tf.Tensor4D, gamma: tf.Tensor1D, beta: tf.Tensor1D): { y: tf.Tensor4D; stats: BatchStatistics } {
  const native = nativeOps();
  return native ? fusedBatchNormTraining(native, x, gamma, beta) : composedBatchNormTraining(x, gamma, beta);
}

/**
 * TensorFlow's FusedBatchNormV3 and its gradient: one pass each way instead
 * of ten element-wise ops, and only x plus [C] vectors kept for the gradient.
 */
function fusedBatchNormTraining(native: NativeOps, x: tf.Tensor4D, gamma: tf.Tensor1D, beta: tf.Tensor1D): { y: tf.Tensor4D; stats: BatchStatistics } {
  const count = x.shape[0] * x.shape[1] * x.shape[2];
  let stats: BatchStatistics | null = null;
  const op = tf.customGrad(((input: tf.Tensor4D, g: tf.Tensor1D, b: tf.Tensor1D, save: tf.GradSaveFunc) => {
    const { y, mean, unbiasedVariance, reserve } = native.batchNormTraining(input, g, b, BATCH_NORM_EPS);
    const variance = count > 1 ? tf.mul(unbiasedVariance, (count - 1) / count) : unbiasedVariance;
    stats = { mean: tf.keep(mean), variance: tf.keep(variance as tf.Tensor1D), count };
    save([input, g, ...reserve]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor4D, [savedInput, savedGamma, ...savedReserve]: tf.Tensor[]) =>
        native.batchNormGradient(dy, savedInput as tf.Tensor4D, savedGamma as tf.Tensor1D, savedReserve, BATCH_NORM_EPS),
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  const y = op(x, gamma, beta) as tf.Tensor4D;
  if (stats === null) throw new Error('batchNormTraining: statistics were not computed');
  return { y, stats };
}

function composedBatchNormTraining(x: tf.Tensor4D, gamma: tf.Tensor1D, beta: tf.Tensor1D): { y: tf.Tensor4D; stats: BatchStatistics } {
  const count = x.shape[0] * x.shape[1] * x.shape[2];
  let stats: BatchStatistics | null = null;
  const op = tf.customGrad(((input: tf.Tensor, g: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
    const mean = tf.mean(input, AXES) as tf.Tensor1D;
    const xc = tf.sub(input, mean);
    const variance = tf.mean(tf.square(xc), AXES) as tf.Tensor1D;
    const rstd = tf.rsqrt(tf.add(variance, BATCH_NORM_EPS));
    const y = tf.add(tf.mul(xc, tf.mul(g, rstd)), b);
    stats = { mean: tf.keep(mean), variance: tf.keep(variance), count };
    save([xc, rstd, g]);
    return {
      value: y,
      // tidy: see composed-conv.ts; only the three gradients outlive the call.
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tf.tidy(() => {
          const [savedXc, savedRstd, savedGamma] = saved;
          const dbeta = tf.sum(dy, AXES);
          const dyXc = tf.sum(tf.mul(dy, savedXc), AXES);
          const dgamma = tf.mul(dyXc, savedRstd);
          const scale = tf.mul(savedGamma, savedRstd);
          // dx = scale*dy + xc*k + c, with [C] vectors k and c.
          const k = tf.mul(scale, tf.div(tf.mul(tf.square(savedRstd), dyXc), -count));
          const c = tf.mul(scale, tf.div(dbeta, -count));
          const dx = tf.add(tf.add(tf.mul(dy, scale), tf.mul(savedXc, k)), c);
          return [dx, dgamma, dbeta];
        }),
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  const y = op(x, gamma, beta) as tf.Tensor4D;
  if (stats === null) throw new Error('batchNormTraining: statistics were not computed');
  return { y, stats };
}

/** Inference-mode BatchNorm with running statistics: one multiply-add per element. */
export function batchNormInference(x: tf.Tensor4D, gamma: tf.Tensor1D, beta: tf.Tensor1D, runningMean: tf.Tensor1D, runningVar: tf.Tensor1D): tf.Tensor4D {
  return tf.tidy(() => {
    const scale = tf.mul(gamma, tf.rsqrt(tf.add(runningVar, BATCH_NORM_EPS)));
    const shift = tf.sub(beta, tf.mul(runningMean, scale));
    return tf.add(tf.mul(x, scale), shift);
  });
}

/** PyTorch's running-statistics update (momentum 0.1, unbiased variance). Returns kept tensors. */
export function runningStatisticsUpdate(
  stats: BatchStatistics,
  runningMean: tf.Tensor1D,
  runningVar: tf.Tensor1D,
): { mean: tf.Tensor1D; variance: tf.Tensor1D } {
  const m = BATCH_NORM_MOMENTUM;
  const unbiased = stats.count > 1 ? stats.count / (stats.count - 1) : 1;
  return tf.tidy(() => ({
    mean: tf.keep(tf.add(tf.mul(runningMean, 1 - m), tf.mul(stats.mean, m))),
    variance: tf.keep(tf.add(tf.mul(runningVar, 1 - m), tf.mul(stats.variance, m * unbiased))),
  }));
}
