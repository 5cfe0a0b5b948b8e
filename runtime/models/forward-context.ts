/**
 * The operations architectures are written in, bound to one network's
 * tensors and one forward call's mode. Convolutions and pools pad with
 * tf.pad and use 'valid' on the native TensorFlow backend, which rejects
 * explicit padding in pooling and in conv gradients.
 */
import { nativeOps } from '../backend/native-ops.js';
import * as tf from '../backend/tf.js';
import { composedConv2d } from './composed-conv.js';
import { batchNormInference, batchNormTraining, runningStatisticsUpdate } from './batch-norm.js';

export interface ForwardContextOptions {
  readonly parameters: ReadonlyMap<string, tf.Variable>;
  readonly buffers: ReadonlyMap<string, tf.Variable>;
  /** BatchNorm modules that use batch statistics in this call. */
  readonly batchStatModules: ReadonlySet<string>;
  /** Dropout rate in this call (0 = identity). */
  readonly dropout: number;
  readonly dropoutSeed?: number;
  /** Whether gradients will be taken (training): selects the convolution with composed gradients on tensorflow. */
  readonly training: boolean;
  /** The tensor this forward call starts from (image or cached prefix): no gradient flows into it. */
  readonly constantInput?: tf.Tensor;
  /** Receives the kept running-statistics updates. */
  readonly batchNormUpdates: Map<string, tf.Tensor>;
}

export class ForwardContext {
  private readonly padExplicitly = tf.getBackend() === 'tensorflow';
  private readonly native = nativeOps();

  constructor(private readonly options: ForwardContextOptions) {}

  private param(name: string): tf.Tensor {
    const value = this.options.parameters.get(name);
    if (!value) throw new Error(`network has no parameter ${name}`);
    return value;
  }

  private buffer(name: string): tf.Tensor1D {
    const value = this.options.buffers.get(name);
    if (!value) throw new Error(`network has no buffer ${name}`);
    return value as tf.Tensor1D;
  }

  conv(module: string, x: tf.Tensor, stride: number, pad: number): tf.Tensor4D {
    const weight = this.param(`${module}.weight`) as tf.Tensor4D;
    let input = x as tf.Tensor4D;
    let padding: 'valid' | 'same' | number[][] = 'valid';
    if (this.padExplicitly) {
      // TensorFlow's 'SAME' is PyTorch's padding only for stride 1 and pad (K-1)/2
      // (1x1 convolutions included: their input gradient then needs no pad either).
      if (stride === 1 && 2 * pad + 1 === weight.shape[0] && weight.shape[0] === weight.shape[1]) padding = 'same';
      else if (pad > 0) input = tf.pad(input, [[0, 0], [pad, pad], [pad, pad], [0, 0]]);
    } else if (pad > 0) padding = [[0, 0], [pad, pad], [pad, pad], [0, 0]];
    const y =
      this.padExplicitly && this.options.training
        ? composedConv2d(input, weight, stride, padding as 'same' | 'valid', x !== this.options.constantInput)
        : tf.conv2d(input, weight, stride, padding as never);
    const bias = this.options.parameters.get(`${module}.bias`);
    return bias ? tf.add(y, bias) : y;
  }

  batchNorm(module: string, x: tf.Tensor): tf.Tensor4D {
    const gamma = this.param(`${module}.weight`) as tf.Tensor1D;
    const beta = this.param(`${module}.bias`) as tf.Tensor1D;
    const runningMean = this.buffer(`${module}.running_mean`);
    const runningVar = this.buffer(`${module}.running_var`);
    if (!this.options.batchStatModules.has(module)) return batchNormInference(x as tf.Tensor4D, gamma, beta, runningMean, runningVar);
    const { y, stats } = batchNormTraining(x as tf.Tensor4D, gamma, beta);
    const update = runningStatisticsUpdate(stats, runningMean, runningVar);
    stats.mean.dispose();
    stats.variance.dispose();
    this.options.batchNormUpdates.set(`${module}.running_mean`, update.mean);
    this.options.batchNormUpdates.set(`${module}.running_var`, update.variance);
    return y;
  }

  relu(x: tf.Tensor): tf.Tensor {
    const native = this.native;
    if (!native || !this.options.training) return tf.relu(x);
    // tfjs-node's relu gradient is five element-wise ops; TensorFlow's ReluGrad is one.
    const op = tf.customGrad(((input: tf.Tensor, save: tf.GradSaveFunc) => {
      const y = tf.relu(input);
      save([y]);
      return { value: y, gradFunc: (dy: tf.Tensor, [output]: tf.Tensor[]) => native.reluGradient(dy, output) };
    }) as unknown as Parameters<typeof tf.customGrad>[0]);
    return op(x) as tf.Tensor;
  }

  add(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
    return tf.add(a, b);
  }

  concatChannels(parts: tf.Tensor[]): tf.Tensor {
    return tf.concat(parts, 3);
  }

  /**
   * nn.MaxPool2d(3, stride=2, padding=1). wasm pools with the padding itself
   * (windows skip it, as -inf would); the tensorflow backend rejects numeric
   * pooling pads, so there it is a -inf pad, then 'valid'.
   */
  maxPool3x3s2(x: tf.Tensor): tf.Tensor {
    if (!this.padExplicitly) return tf.maxPool(x as tf.Tensor4D, 3, 2, 1);
    const padded = tf.pad(x as tf.Tensor4D, [[0, 0], [1, 1], [1, 1], [0, 0]], -Infinity);
    return tf.maxPool(padded, 3, 2, 'valid');
  }

  /** nn.MaxPool2d(3, stride=2, ceil_mode=True): -inf padding at the end, then 'valid'. */
  maxPool3x3s2Ceil(x: tf.Tensor): tf.Tensor {
    const [, h, w] = x.shape;
    const extra = (size: number): number => (Math.ceil((size - 3) / 2) * 2 + 3) - size;
    const [eh, ew] = [extra(h), extra(w)];
    const padded = eh > 0 || ew > 0 ? tf.pad(x as tf.Tensor4D, [[0, 0], [0, eh], [0, ew], [0, 0]], -Infinity) : (x as tf.Tensor4D);
    return tf.maxPool(padded, 3, 2, 'valid');
  }

  globalAveragePool(x: tf.Tensor): tf.Tensor2D {
    return tf.mean(x, [1, 2]) as tf.Tensor2D;
  }

  linear(module: string, x: tf.Tensor): tf.Tensor2D {
    return tf.add(tf.matMul(x as tf.Tensor2D, this.param(`${module}.weight`) as tf.Tensor2D), this.param(`${module}.bias`)) as tf.Tensor2D;
  }

  dropout(x: tf.Tensor): tf.Tensor {
    const rate = this.options.dropout;
    if (rate <= 0) return x;
    if (this.options.dropoutSeed === undefined) throw new Error('dropoutSeed is required when training with dropout');
    return tf.dropout(x, rate, undefined, this.options.dropoutSeed);
  }
}
