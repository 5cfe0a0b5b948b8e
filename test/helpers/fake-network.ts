import * as tf from '../../runtime/backend/tf.js';
import type { ForwardOptions, ForwardResult, Network } from '../../runtime/models/network.js';

/**
 * A tiny Network for data-pipeline tests: a frozen 3x3 stride-2 convolution
 * (the prefix, when `frozen`) then global average pooling and a dense head.
 * Weights are a deterministic function of `weightSeed`.
 */
export function fakeNetwork(options: { numClasses: number; frozen: boolean; weightSeed?: number }): Network & { prefixCalls: number } {
  const seed = options.weightSeed ?? 1;
  const stem = variable(tf.randomNormal([3, 3, 3, 4], 0, 0.5, 'float32', seed), !options.frozen);
  const stemMean = variable(tf.zeros([4]), false);
  const fcWeight = variable(tf.randomNormal([4, options.numClasses], 0, 0.5, 'float32', seed + 1), true);
  const fcBias = variable(tf.zeros([options.numClasses]), true);
  const stemForward = (x: tf.Tensor4D) => tf.relu(tf.sub(tf.conv2d(x, stem as tf.Tensor4D, 2, 'same'), stemMean));
  const network = {
    arch: 'resnet18' as const,
    numClasses: options.numClasses,
    parameters: new Map<string, tf.Variable>([
      ['stem.weight', stem],
      ['fc.weight', fcWeight],
      ['fc.bias', fcBias],
    ]),
    buffers: new Map<string, tf.Variable>([['stem.running_mean', stemMean]]),
    trainableNames: options.frozen ? ['fc.weight', 'fc.bias'] : ['stem.weight', 'fc.weight', 'fc.bias'],
    frozenPrefixId: options.frozen ? 'fake/stem' : null,
    prefixCalls: 0,
    forwardPrefix(x: tf.Tensor4D): tf.Tensor {
      network.prefixCalls += x.shape[0];
      return options.frozen ? stemForward(x) : x.clone();
    },
    forwardSuffix(prefixOutput: tf.Tensor, _options: ForwardOptions): ForwardResult {
      const trunk = options.frozen ? (prefixOutput as tf.Tensor4D) : stemForward(prefixOutput as tf.Tensor4D);
      const pooled = tf.mean(trunk, [1, 2]) as tf.Tensor2D;
      return { logits: tf.add(tf.matMul(pooled, fcWeight), fcBias) as tf.Tensor2D, batchNormUpdates: new Map() };
    },
    dispose(): void {
      for (const v of [stem, stemMean, fcWeight, fcBias]) v.dispose();
    },
  };
  return network;
}

function variable(initial: tf.Tensor, trainable: boolean): tf.Variable {
  const created = tf.variable(initial, trainable);
  initial.dispose();
  return created;
}
