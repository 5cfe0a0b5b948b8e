import type * as tf from '@tensorflow/tfjs-core';
import type { ArchName } from '../../compiler/types/run-config.js';

/**
 * A torchvision-equivalent classifier written as plain functions over named
 * tfjs variables. Inputs are NHWC float32, already normalised.
 *
 * The network is split in two at the first module that holds a trainable
 * parameter: the frozen prefix is a deterministic function of the input
 * (BatchNorm in inference mode, no dropout), so its output can be cached per
 * image and reused across epochs and runs; the suffix is what trains.
 * `forward(x) === forwardSuffix(forwardPrefix(x))` always.
 */
export interface ForwardOptions {
  /** Batch statistics for trainable BatchNorm layers and active dropout. */
  readonly training: boolean;
  /** Seed for dropout masks; required when training with dropout > 0. */
  readonly dropoutSeed?: number;
}

export interface ForwardResult {
  readonly logits: tf.Tensor2D;
  /**
   * New running_mean / running_var values (state_dict names) of the trainable
   * BatchNorm layers, computed in training mode with PyTorch's momentum 0.1 and
   * unbiased variance. Empty when not training. These tensors are kept
   * (tf.keep): the caller assigns them after the gradient step and disposes them.
   */
  readonly batchNormUpdates: ReadonlyMap<string, tf.Tensor>;
}

export interface Network {
  readonly arch: ArchName;
  readonly numClasses: number;
  /** Learnable tensors by torchvision state_dict key, in state_dict order, tfjs layout (conv HWIO, linear [in, out]). */
  readonly parameters: ReadonlyMap<string, tf.Variable>;
  /** BatchNorm running_mean / running_var by state_dict key. */
  readonly buffers: ReadonlyMap<string, tf.Variable>;
  /** Names of the parameters that train, in state_dict order. */
  readonly trainableNames: readonly string[];
  /**
   * A stable description of the frozen prefix (architecture, boundary module)
   * for cache keys; null when the first module already trains, and then
   * forwardPrefix is the identity (a copy of its input).
   */
  readonly frozenPrefixId: string | null;
  forwardPrefix(x: tf.Tensor4D): tf.Tensor;
  forwardSuffix(prefixOutput: tf.Tensor, options: ForwardOptions): ForwardResult;
  dispose(): void;
}
