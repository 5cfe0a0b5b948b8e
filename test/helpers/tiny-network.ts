import * as tf from '../../runtime/backend/tf.js';
import type { ForwardOptions, ForwardResult, Network } from '../../runtime/models/network.js';

export interface TinyNetworkOptions {
  readonly channels: number;
  readonly numClasses: number;
  readonly filters?: number;
  readonly dropout?: number;
  /** 'head': only fc trains, the conv and its BatchNorm are frozen (inference-mode BN). */
  readonly trainable?: 'all' | 'head';
  readonly seed?: number;
}

/**
 * A small conv net implementing the Network contract for training tests:
 * conv3x3 (no bias) -> BatchNorm (PyTorch momentum 0.1, eps 1e-5, unbiased
 * running variance) -> ReLU -> global average pool -> dropout -> linear.
 * Its frozen prefix is empty (forwardPrefix is the identity).
 */
/** A variable whose initial value tensor is freed (tf.variable keeps it alive otherwise). */
function variable(initial: tf.Tensor, trainable = true): tf.Variable {
  const created = tf.variable(initial, trainable);
  initial.dispose();
  return created;
}

export function createTinyNetwork(options: TinyNetworkOptions): Network {
  const filters = options.filters ?? 8;
  const seed = options.seed ?? 1;
  const trainable = options.trainable ?? 'all';
  const dropout = options.dropout ?? 0;
  const fanIn = 9 * options.channels;
  const parameters = new Map<string, tf.Variable>([
    ['conv.weight', variable(tf.randomNormal([3, 3, options.channels, filters], 0, Math.sqrt(2 / fanIn), 'float32', seed))],
    ['bn.weight', variable(tf.ones([filters]))],
    ['bn.bias', variable(tf.zeros([filters]))],
    ['fc.weight', variable(tf.randomUniform([filters, options.numClasses], -1 / Math.sqrt(filters), 1 / Math.sqrt(filters), 'float32', seed + 1))],
    ['fc.bias', variable(tf.zeros([options.numClasses]))],
  ]);
  const buffers = new Map<string, tf.Variable>([
    ['bn.running_mean', variable(tf.zeros([filters]), false)],
    ['bn.running_var', variable(tf.ones([filters]), false)],
  ]);
  const p = (name: string): tf.Variable => parameters.get(name)!;
  const trainableNames = trainable === 'all' ? [...parameters.keys()] : ['fc.weight', 'fc.bias'];

  function forwardSuffix(input: tf.Tensor, forward: ForwardOptions): ForwardResult {
    const updates = new Map<string, tf.Tensor>();
    const logits = tf.tidy(() => {
      const x = input as tf.Tensor4D;
      const conv = tf.conv2d(x, p('conv.weight') as tf.Tensor4D, 1, 'same');
      let normalized: tf.Tensor;
      if (forward.training && trainable === 'all') {
        const { mean, variance } = tf.moments(conv, [0, 1, 2]);
        normalized = tf.div(tf.sub(conv, mean), tf.sqrt(tf.add(variance, 1e-5)));
        const n = conv.size / filters;
        const unbiased = tf.mul(variance, n / (n - 1));
        updates.set('bn.running_mean', tf.keep(tf.add(tf.mul(buffers.get('bn.running_mean')!, 0.9), tf.mul(mean, 0.1))));
        updates.set('bn.running_var', tf.keep(tf.add(tf.mul(buffers.get('bn.running_var')!, 0.9), tf.mul(unbiased, 0.1))));
      } else {
        normalized = tf.div(
          tf.sub(conv, buffers.get('bn.running_mean')!),
          tf.sqrt(tf.add(buffers.get('bn.running_var')!, 1e-5)),
        );
      }
      let features: tf.Tensor = tf.mean(tf.relu(tf.add(tf.mul(normalized, p('bn.weight')), p('bn.bias'))), [1, 2]);
      if (forward.training && dropout > 0) {
        if (forward.dropoutSeed === undefined) throw new Error('dropoutSeed is required when training with dropout');
        features = tf.dropout(features, dropout, undefined, forward.dropoutSeed);
      }
      return tf.add(tf.matMul(features as tf.Tensor2D, p('fc.weight') as tf.Tensor2D), p('fc.bias')) as tf.Tensor2D;
    });
    return { logits, batchNormUpdates: updates };
  }

  return {
    arch: 'resnet18',
    numClasses: options.numClasses,
    parameters,
    buffers,
    trainableNames,
    frozenPrefixId: null,
    forwardPrefix: (x) => tf.clone(x),
    forwardSuffix,
    dispose() {
      for (const variable of [...parameters.values(), ...buffers.values()]) variable.dispose();
    },
  };
}
