/**
 * Conv2DBackpropFilter for the wasm backend, which has none. Two exact
 * compositions of wasm's fast kernels, chosen per convolution by what was
 * measured (single-thread CPU time, tfjs-backend-wasm 4.22):
 * - a GEMM over the im2col'd input (conv2d-backprop-filter-gemm.ts): 1.6x
 *   faster over resnet50's layers at 224 px batch 8, and 3-5x on its 1x1
 *   convolutions, whose patch matrix is the input itself;
 * - a convolution of the channel-transposed input with dy as the filter
 *   (conv2d-backprop-filter-composed.ts): its inner runs are batch-many
 *   values, so it does well on large batches, and for stride-1 spatial
 *   kernels at batch 32 (resnet18 at 64 px) it beat the GEMM, which packs
 *   the whole patch matrix as XNNPACK "weights" on every call.
 */
import type { Conv2DBackpropFilterAttrs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '../tf.js';
import { conv2DBackpropFilterComposed } from './conv2d-backprop-filter-composed.js';
import { conv2DBackpropFilterGemm } from './conv2d-backprop-filter-gemm.js';
import type { WasmBackend } from './wasm-kernel-calls.js';

/** Batch from which a stride-1 spatial convolution's gradient uses the composition. */
export const COMPOSED_FROM_BATCH = 16;

export type FilterGradientPath = 'gemm' | 'composed';

export function filterGradientPath(info: tf.backend_util.Conv2DInfo): FilterGradientPath {
  const spatial = info.filterHeight > 1 || info.filterWidth > 1;
  const stride1 = info.strideHeight === 1 && info.strideWidth === 1;
  return spatial && stride1 && info.batchSize >= COMPOSED_FROM_BATCH ? 'composed' : 'gemm';
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
