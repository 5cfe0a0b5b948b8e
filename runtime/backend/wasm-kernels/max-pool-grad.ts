/**
 * MaxPoolGrad for the wasm backend with PyTorch's semantics: the gradient of
 * each window goes to its first maximum. The stock wasm kernel starts its
 * running max at the smallest positive float (windows whose max is <= 0, such
 * as -inf padding or all-zero ReLU output, lose their gradient) and picks the
 * last of tied maxima.
 */
import type { KernelConfig, KernelFunc, MaxPoolGradAttrs, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '../tf.js';
import type { WasmBackend } from './wasm-kernel-calls.js';

export function maxPoolGrad(args: {
  inputs: { dy: TensorInfo; input: TensorInfo; output: TensorInfo };
  backend: WasmBackend;
  attrs: MaxPoolGradAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, input } = inputs;
  const { filterSize, strides, pad, dimRoundingMode } = attrs;
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const { batchSize, inHeight, inWidth, inChannels: c, outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const { top, left } = info.padInfo;
  const x = backend.readSync(input.dataId);
  const g = backend.readSync(dy.dataId);
  const out = backend.makeOutput(input.shape.slice(), 'float32');
  const dx = backend.typedArrayFromHeap(out);
  dx.fill(0);
  // Channels innermost: every window reads contiguous channel vectors.
  const best = new Float32Array(c);
  const at = new Int32Array(c);
  for (let b = 0; b < batchSize; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      const h0 = oh * strideHeight - top;
      for (let ow = 0; ow < outWidth; ow++) {
        const w0 = ow * strideWidth - left;
        at.fill(-1);
        for (let kh = 0; kh < filterHeight; kh++) {
          const h = h0 + kh;
          if (h < 0 || h >= inHeight) continue;
          for (let kw = 0; kw < filterWidth; kw++) {
            const w = w0 + kw;
            if (w < 0 || w >= inWidth) continue;
            const base = ((b * inHeight + h) * inWidth + w) * c;
            for (let ch = 0; ch < c; ch++) {
              const value = x[base + ch];
              // PyTorch's rule: the first maximum wins, and a NaN (the last one) is the max.
              if (at[ch] < 0 || value > best[ch] || Number.isNaN(value)) {
                best[ch] = value;
                at[ch] = base + ch;
              }
            }
          }
        }
        const gBase = ((b * outHeight + oh) * outWidth + ow) * c;
        for (let ch = 0; ch < c; ch++) if (at[ch] >= 0) dx[at[ch]] += g[gBase + ch];
      }
    }
  }
  return out;
}

export const maxPoolGradConfig: KernelConfig = {
  kernelName: 'MaxPoolGrad',
  backendName: 'wasm',
  kernelFunc: maxPoolGrad as unknown as KernelFunc,
};
