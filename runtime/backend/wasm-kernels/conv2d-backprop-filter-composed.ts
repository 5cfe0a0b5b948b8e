/**
 * The filter gradient composed from wasm's own Conv2D (see
 * conv2d-backprop-filter.ts for when it is used): with x as [ci, H, W, n] ("batch" = input channel,
 * "channels" = images) and dy as a filter [OH, OW, n, co], a convolution with
 * dilation = the forward stride and the forward padding yields
 * dW as [ci, KH, KW, co]:
 *   dW[kh,kw,ci,co] = sum_{n,oh,ow} xpad[n, oh*s + kh, ow*s + kw, ci] * dy[n,oh,ow,co]
 * Padding past what the last output row reads is trimmed from x first.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type * as tf from '../tf.js';
import { WasmCalls, type WasmBackend } from './wasm-kernel-calls.js';

export function conv2DBackpropFilterComposed(x: TensorInfo, dy: TensorInfo, info: tf.backend_util.Conv2DInfo, backend: WasmBackend): TensorInfo {
  const [n, height, width, inChannels] = x.shape;
  const { filterHeight, filterWidth, strideHeight, strideWidth, outHeight, outWidth, outChannels } = info;
  const { top, left } = info.padInfo;
  // Padding below / right that makes the dilated "filter" (dy) land exactly on KH x KW outputs.
  const bottom = filterHeight + (outHeight - 1) * strideHeight - height - top;
  const right = filterWidth + (outWidth - 1) * strideWidth - width - left;

  const calls = new WasmCalls(backend);
  try {
    const usedX = calls.slice(x, [0, 0, 0, 0], [n, height + Math.min(0, bottom), width + Math.min(0, right), inChannels]);
    const xT = calls.transpose(usedX, [3, 1, 2, 0]);
    const dyT = calls.transpose(dy, [1, 2, 0, 3]);
    const grad = calls.conv(xT, dyT, [top, Math.max(0, bottom), left, Math.max(0, right)], [strideHeight, strideWidth]);
    if (grad.shape[1] !== filterHeight || grad.shape[2] !== filterWidth || grad.shape[3] !== outChannels) {
      throw new Error(`Conv2DBackpropFilter composition produced shape ${grad.shape.join('x')}`);
    }
    const out = calls.transpose(grad, [1, 2, 0, 3]);
    calls.dispose(out);
    return out;
  } catch (error) {
    calls.dispose();
    throw error;
  }
}
