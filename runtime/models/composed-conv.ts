/**
 * A 'valid' NHWC convolution whose gradients are themselves forward
 * convolutions. Used on the native TensorFlow backend, where (with oneDNN
 * off, see native-backend.ts) Eigen's Conv2DBackpropInput took 56% of a
 * resnet18 training step against 3% for all forward convolutions.
 *   dx = conv(pad(dilate(dy, s), K-1 | H - Hd), flip(W) with in/out swapped)
 *   dW = conv(x^T [ci,H,W,n], dy^T [OH,OW,n,co], dilation s) -> [ci,KH,KW,co] -> [KH,KW,ci,co]
 */
import { convGradientPaths } from '../backend/conv-gradient-paths.js';
import { nativeOps } from '../backend/native-ops.js';
import * as tf from '../backend/tf.js';

function dilate(dy: tf.Tensor4D, stride: number): tf.Tensor4D {
  if (stride === 1) return dy;
  const [n, oh, ow, co] = dy.shape;
  const spread = tf.pad(tf.reshape(dy, [n, oh, 1, ow, 1, co]), [[0, 0], [0, 0], [0, stride - 1], [0, 0], [0, stride - 1], [0, 0]]);
  const full = tf.reshape(spread, [n, oh * stride, ow * stride, co]);
  return tf.slice(full, [0, 0, 0, 0], [n, (oh - 1) * stride + 1, (ow - 1) * stride + 1, co]) as tf.Tensor4D;
}

export function inputGradient(dy: tf.Tensor4D, filter: tf.Tensor4D, inputShape: readonly number[], stride: number): tf.Tensor4D {
  const [kh, kw] = filter.shape;
  const [, h, w] = inputShape;
  const spread = dilate(dy, stride);
  const [, hd, wd] = spread.shape;
  const padded = tf.pad(spread, [[0, 0], [kh - 1, h - hd], [kw - 1, w - wd], [0, 0]]);
  const flipped = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
  return tf.conv2d(padded, flipped, 1, 'valid');
}

export function filterGradient(x: tf.Tensor4D, dy: tf.Tensor4D, filterShape: readonly number[], stride: number): tf.Tensor4D {
  const [kh, kw] = filterShape;
  const [n, , , ci] = x.shape;
  const [, oh, ow] = dy.shape;
  const [rows, cols] = [(oh - 1) * stride + kh, (ow - 1) * stride + kw];
  const used = rows === x.shape[1] && cols === x.shape[2] ? x : tf.slice(x, [0, 0, 0, 0], [n, rows, cols, ci]);
  const xT = tf.transpose(used, [3, 1, 2, 0]) as tf.Tensor4D;
  const dyT = tf.transpose(dy, [1, 2, 0, 3]) as tf.Tensor4D;
  const grad = tf.conv2d(xT, dyT, 1, 'valid', 'NHWC', [stride, stride]);
  return tf.transpose(grad, [1, 2, 0, 3]);
}

/**
 * 'same' applies to stride 1 with an odd kernel only, where it equals
 * PyTorch's symmetric padding (K-1)/2 and needs no pad op either way:
 * dx is then conv(dy, flipped W, 'same').
 */
export function composedConv2d(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  stride: number,
  padding: 'same' | 'valid' = 'valid',
  /** false when x is a constant (the image, a cached prefix): customGrad computes every gradient it returns. */
  needsInputGradient = true,
): tf.Tensor4D {
  const native = nativeOps();
  const op = tf.customGrad(((input: tf.Tensor4D, weights: tf.Tensor4D, save: tf.GradSaveFunc) => {
    save([input, weights]);
    return {
      value: tf.conv2d(input, weights, stride, padding),
      // tidy: the tape runs gradFunc outside any scope of its own, so its
      // pads, transposes and reversed filters would live until the step ends.
      gradFunc: (dy: tf.Tensor4D, [savedInput, savedWeights]: tf.Tensor[]) =>
        tf.tidy(() => {
          // Native or composed kernels per gradient, as `setup native` measured them on this machine (conv-gradient-paths.ts).
          const paths = convGradientPaths();
          const tfPadding = padding === 'same' ? 'SAME' : 'VALID';
          const weights = savedWeights as tf.Tensor4D;
          const input = savedInput as tf.Tensor4D;
          let dx: tf.Tensor;
          if (!needsInputGradient) dx = tf.zerosLike(savedInput);
          else if (native && paths.input === 'native') dx = native.convInputGradient(dy, weights, input.shape, stride, tfPadding);
          else if (padding === 'same') dx = tf.conv2d(dy, tf.transpose(weights.shape[0] === 1 ? weights : tf.reverse(weights, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D, 1, 'same');
          else dx = inputGradient(dy, weights, input.shape, stride);
          let dw: tf.Tensor;
          if (native && paths.filter === 'native') dw = native.convFilterGradient(input, dy, weights.shape, stride, tfPadding);
          else if (padding === 'same') {
            // 'same' is stride 1 with an odd kernel: the composition needs the symmetric pad made explicit.
            const [ph, pw] = [(weights.shape[0] - 1) / 2, (weights.shape[1] - 1) / 2];
            dw = filterGradient(tf.pad(input, [[0, 0], [ph, ph], [pw, pw], [0, 0]]), dy, weights.shape, stride);
          } else dw = filterGradient(input, dy, weights.shape, stride);
          return [dx, dw];
        }),
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(x, filter) as tf.Tensor4D;
}
