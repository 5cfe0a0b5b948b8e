/**
 * Conv2DBackpropFilter for the wasm backend, which has none. Two exact
 * compositions of wasm's fast kernels, chosen per convolution by what was
 * measured (CPU time of each kernel alone and inside training steps,
 * tfjs-backend-wasm 4.22, one thread):
 * - a GEMM over the im2col'd input (conv2d-backprop-filter-gemm.ts) for 1x1
 *   and strided convolutions: 1.6-3.5x faster on resnet50's 1x1 layers at
 *   224 px (the patch matrix is x itself, or a subsample of it), about even
 *   to 1.3x on strided 3x3 and 7x7 ones;
 * - a convolution of the channel-transposed input with dy as the filter
 *   (conv2d-backprop-filter-composed.ts) for stride-1 spatial kernels, where
 *   the GEMM was up to 1.5x slower: it builds a patch matrix KH*KW times the
 *   input and XNNPACK packs all of it as "weights" on every call.
 */
import type { Conv2DBackpropFilterAttrs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '../tf.js';
import { conv2DBackpropFilterComposed } from './conv2d-backprop-filter-composed.js';
import { conv2DBackpropFilterGemm } from './conv2d-backprop-filter-gemm.js';
import type { WasmBackend } from './wasm-kernel-calls.js';

export type FilterGradientPath = 'gemm' | 'composed';

export function filterGradientPath(info: tf.backend_util.Conv2DInfo): FilterGradientPath {
  const spatial = info.filterHeight > 1 || info.filterWidth > 1;
  const stride1 = info.strideHeight === 1 && info.strideWidth === 1;
  return spatial && stride1 ? 'composed' : 'gemm';
}

export function conv2DBackpropFilter(args: {
  inputs: { x: TensorInfo; dy: TensorInfo };
  backend: WasmBackend;
  attrs: Conv2DBackpropFilterAttrs & { path?: FilterGradientPath; maxPatchBytes?: number };
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, dy } = inputs;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
  if (dataFormat !== undefined && dataFormat !== 'NHWC') throw new Error('wasm Conv2DBackpropFilter supports NHWC only');
  const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode);
  // `path` and `maxPatchBytes` are not tfjs attributes: tests pass them to reach each composition and the GEMM's chunking.
  const path = attrs.path ?? filterGradientPath(info);
  return path === 'gemm' ? conv2DBackpropFilterGemm(x, dy, info, backend, attrs.maxPatchBytes) : conv2DBackpropFilterComposed(x, dy, info, backend);
}

export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter as unknown as KernelFunc,
};
