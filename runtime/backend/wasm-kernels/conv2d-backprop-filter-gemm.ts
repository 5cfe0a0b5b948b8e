/**
 * The filter gradient as one matrix product per chunk of images (see
 * conv2d-backprop-filter.ts for when it is used):
 *   dW[(kh,kw,ci), co] = sum_m cols[m, (kh,kw,ci)] * dy[m, co],  m = (b,oh,ow)
 * with cols the im2col patch matrix (im2col.ts) and the product XNNPACK's
 * fully-connected GEMM behind wasm's BatchMatMul, the only fast matrix
 * product wasm has (it takes no transposed operand: its transposed path is a
 * scalar loop). So it computes dW^T = dy^T cols, with dy^T transposed in
 * JavaScript and the small [co, K] result transposed back.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type * as tf from '../tf.js';
import { im2col, type PatchGeometry } from './im2col.js';
import { WasmCalls, type WasmBackend } from './wasm-kernel-calls.js';

/** Largest patch matrix built at once; bigger batches are summed over chunks of images. */
export const MAX_PATCH_BYTES = 64 * 1024 * 1024;

export function conv2DBackpropFilterGemm(x: TensorInfo, dy: TensorInfo, info: tf.backend_util.Conv2DInfo, backend: WasmBackend, maxPatchBytes = MAX_PATCH_BYTES): TensorInfo {
  const [n, height, width, inChannels] = x.shape;
  const { filterHeight, filterWidth, outHeight, outWidth, outChannels } = info;
  const geometry: PatchGeometry = {
    height,
    width,
    inChannels,
    filterHeight,
    filterWidth,
    outHeight,
    outWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    dilationHeight: 1,
    dilationWidth: 1,
    top: info.padInfo.top,
    left: info.padInfo.left,
  };
  const rowLength = filterHeight * filterWidth * inChannels;
  const perImage = outHeight * outWidth;
  const chunk = Math.max(1, Math.min(n, Math.floor(maxPatchBytes / (4 * perImage * rowLength))));

  // A 1x1 stride-1 convolution without padding has x itself as its patch matrix.
  const identity = rowLength === inChannels && outHeight === height && outWidth === width && geometry.top === 0 && geometry.left === 0;
  const calls = new WasmCalls(backend);
  try {
    let sum: TensorInfo | null = null;
    for (let first = 0; first < n; first += chunk) {
      const count = Math.min(chunk, n - first);
      const rows = count * perImage;
      const cols = identity && count === n ? WasmCalls.withShape(x, [1, rows, rowLength]) : calls.output([1, rows, rowLength]);
      const dyRows = count === n ? WasmCalls.withShape(dy, [rows, outChannels]) : calls.output([rows, outChannels]);
      // Views of the heap after every allocation: growing the heap detaches older views.
      const heap = heapOf(backend, x);
      if (cols.dataId !== x.dataId) {
        if (identity) heap.copyWithin(offsetOf(backend, cols), offsetOf(backend, x) + first * perImage * rowLength, offsetOf(backend, x) + (first + count) * perImage * rowLength);
        else im2col(heap, offsetOf(backend, x), offsetOf(backend, cols), first, count, geometry);
      }
      if (dyRows.dataId !== dy.dataId) {
        const from = offsetOf(backend, dy) + first * perImage * outChannels;
        heap.copyWithin(offsetOf(backend, dyRows), from, from + rows * outChannels);
      }
      const dyT = calls.transpose(dyRows, [1, 0]);
      const product = calls.run('BatchMatMul', { a: WasmCalls.withShape(dyT, [1, outChannels, rows]), b: cols }, { transposeA: false, transposeB: false });
      sum = sum === null ? product : calls.run('Add', { a: sum, b: product });
    }
    const out = calls.transpose(WasmCalls.withShape(sum!, [outChannels, rowLength]), [1, 0]);
    calls.dispose(out);
    return WasmCalls.withShape(out, [filterHeight, filterWidth, inChannels, outChannels]);
  } catch (error) {
    calls.dispose();
    throw error;
  }
}

function heapOf(backend: WasmBackend, any: TensorInfo): Float32Array {
  const view = backend.typedArrayFromHeap(any);
  return new Float32Array(view.buffer);
}

function offsetOf(backend: WasmBackend, info: TensorInfo): number {
  return backend.typedArrayFromHeap(info).byteOffset / 4;
}
