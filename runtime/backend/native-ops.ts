/**
 * TensorFlow ops that tfjs-node has no kernel for, called through its
 * binding: fused BatchNorm in training mode with its gradient, ReluGrad and
 * Conv2DBackpropFilter with 'SAME' padding. tfjs expresses each of these as
 * five to ten element-wise ops, and on the tensorflow backend every op is a
 * separate eager call that reads and writes the whole activation (the relu
 * gradient alone was Step + Select + Fill + IsNan + Greater, 12% of a
 * resnet18 step). Only available while the 'tensorflow' backend is active.
 */
import * as tf from './tf.js';

interface OpAttr {
  readonly name: string;
  readonly type: number;
  readonly value: unknown;
}

interface NodeBackend {
  readonly binding: { readonly TF_ATTR_TYPE: number; readonly TF_ATTR_FLOAT: number; readonly TF_ATTR_STRING: number; readonly TF_ATTR_BOOL: number; readonly TF_ATTR_INT: number; readonly TF_FLOAT: number };
  executeSingleOutput(name: string, attrs: OpAttr[], inputs: tf.Tensor[]): tf.Tensor;
  executeMultipleOutputs(name: string, attrs: OpAttr[], inputs: tf.Tensor[], count: number): tf.Tensor[];
}

export interface NativeOps {
  /** FusedBatchNormV3 in training mode: y, the batch mean and the biased batch variance, and what the gradient needs. */
  batchNormTraining(x: tf.Tensor4D, gamma: tf.Tensor1D, beta: tf.Tensor1D, epsilon: number): { y: tf.Tensor4D; mean: tf.Tensor1D; unbiasedVariance: tf.Tensor1D; reserve: tf.Tensor[] };
  /** FusedBatchNormGradV3: [dx, dgamma, dbeta]. */
  batchNormGradient(dy: tf.Tensor4D, x: tf.Tensor4D, gamma: tf.Tensor1D, reserve: readonly tf.Tensor[], epsilon: number): [tf.Tensor4D, tf.Tensor1D, tf.Tensor1D];
  /** ReluGrad: dy where the relu's output is positive, else 0. */
  reluGradient(dy: tf.Tensor, output: tf.Tensor): tf.Tensor;
  /** Conv2DBackpropInput, NHWC, 'SAME' or 'VALID': dx of the given input shape. */
  convInputGradient(dy: tf.Tensor4D, filter: tf.Tensor4D, inputShape: readonly number[], stride: number, padding: 'SAME' | 'VALID'): tf.Tensor4D;
  /** Conv2DBackpropFilter, NHWC, 'SAME' or 'VALID'. */
  convFilterGradient(x: tf.Tensor4D, dy: tf.Tensor4D, filterShape: readonly number[], stride: number, padding: 'SAME' | 'VALID'): tf.Tensor4D;
}

const opsByBackend = new WeakMap<NodeBackend, NativeOps>();

/** The native ops when the active backend is tfjs-node's 'tensorflow', else null. Called per convolution: built once per backend. */
export function nativeOps(): NativeOps | null {
  if (tf.getBackend() !== 'tensorflow') return null;
  const backend = tf.backend() as unknown as NodeBackend;
  if (typeof backend.executeMultipleOutputs !== 'function') return null;
  let ops = opsByBackend.get(backend);
  if (!ops) {
    ops = bindOps(backend);
    opsByBackend.set(backend, ops);
  }
  return ops;
}

function bindOps(backend: NodeBackend): NativeOps {
  const { binding } = backend;
  const type = (name: string): OpAttr => ({ name, type: binding.TF_ATTR_TYPE, value: binding.TF_FLOAT });
  const batchNormAttrs = (epsilon: number): OpAttr[] => [
    type('T'),
    type('U'),
    { name: 'epsilon', type: binding.TF_ATTR_FLOAT, value: epsilon },
    { name: 'data_format', type: binding.TF_ATTR_STRING, value: 'NHWC' },
    { name: 'is_training', type: binding.TF_ATTR_BOOL, value: true },
  ];
  const convAttrs = (stride: number, padding: 'SAME' | 'VALID'): OpAttr[] => [
    type('T'),
    { name: 'strides', type: binding.TF_ATTR_INT, value: [1, stride, stride, 1] },
    { name: 'padding', type: binding.TF_ATTR_STRING, value: padding },
    { name: 'data_format', type: binding.TF_ATTR_STRING, value: 'NHWC' },
    { name: 'use_cudnn_on_gpu', type: binding.TF_ATTR_BOOL, value: true },
    { name: 'dilations', type: binding.TF_ATTR_INT, value: [1, 1, 1, 1] },
  ];
  return {
    batchNormTraining(x, gamma, beta, epsilon) {
      const empty = tf.tensor1d([]);
      const attrs = [...batchNormAttrs(epsilon), { name: 'exponential_avg_factor', type: binding.TF_ATTR_FLOAT, value: 1 }];
      const [y, mean, unbiasedVariance, ...reserve] = backend.executeMultipleOutputs('FusedBatchNormV3', attrs, [x, gamma, beta, empty, empty], 6);
      empty.dispose();
      return { y: y as tf.Tensor4D, mean: mean as tf.Tensor1D, unbiasedVariance: unbiasedVariance as tf.Tensor1D, reserve };
    },
    batchNormGradient(dy, x, gamma, reserve, epsilon) {
      const outputs = backend.executeMultipleOutputs('FusedBatchNormGradV3', batchNormAttrs(epsilon), [dy, x, gamma, ...reserve], 5);
      tf.dispose(outputs.slice(3));
      return [outputs[0] as tf.Tensor4D, outputs[1] as tf.Tensor1D, outputs[2] as tf.Tensor1D];
    },
    reluGradient(dy, output) {
      return backend.executeSingleOutput('ReluGrad', [type('T')], [dy, output]);
    },
    convInputGradient(dy, filter, inputShape, stride, padding) {
      const sizes = tf.tensor1d(inputShape as number[], 'int32');
      const result = backend.executeSingleOutput('Conv2DBackpropInput', convAttrs(stride, padding), [sizes, filter, dy]) as tf.Tensor4D;
      sizes.dispose();
      return result;
    },
    convFilterGradient(x, dy, filterShape, stride, padding) {
      const sizes = tf.tensor1d(filterShape as number[], 'int32');
      const result = backend.executeSingleOutput('Conv2DBackpropFilter', convAttrs(stride, padding), [x, sizes, dy]) as tf.Tensor4D;
      sizes.dispose();
      return result;
    },
  };
}
