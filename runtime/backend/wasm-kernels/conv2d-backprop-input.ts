/**
 * Conv2DBackpropInput for the wasm backend composed from wasm's XNNPACK
 * Conv2D (the stock kernel is a scalar loop at 1.5-2 GFLOP/s).
 *
 * dx[n,h,w,ci] = sum over taps (kh,kw) with (h + top - kh) % s == 0 of
 *   dy[n, (h+top-kh)/s, (w+left-kw)/s, co] * W[kh,kw,ci,co].
 * Split the output into s x s phases h = s*i + ph: each phase is a stride-1
 * correlation of dy with the flipped sub-filter of the taps that reach it,
 * with the ci/co axes swapped. Phases are then interleaved into dx.
 */
import type { Conv2DBackpropInputAttrs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '../tf.js';
import { WasmCalls, type WasmBackend } from './wasm-kernel-calls.js';

interface AxisPhase {
  /** Taps of the kernel along this axis that reach the phase, in correlation order. */
  readonly taps: number[];
  /** Padding before dy (negative: rows of dy to drop). */
  readonly before: number;
}

function axisPhase(phase: number, stride: number, padBefore: number, kernel: number): AxisPhase {
  const first = (((phase + padBefore) % stride) + stride) % stride;
  const forward: number[] = [];
  for (let k = first; k < kernel; k += stride) forward.push(k);
  const offset = (phase + padBefore - first) / stride;
  return { taps: forward.reverse(), before: forward.length - 1 - offset };
}

export function conv2DBackpropInput(args: {
  inputs: { dy: TensorInfo; filter: TensorInfo };
  backend: WasmBackend;
  attrs: Conv2DBackpropInputAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, filter } = inputs;
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs;
  if (dataFormat !== undefined && dataFormat !== 'NHWC') throw new Error('wasm Conv2DBackpropInput supports NHWC only');
  const info = tf.backend_util.computeConv2DInfo(inputShape, filter.shape as [number, number, number, number], strides, 1, pad, dimRoundingMode);
  const [n, height, width, inChannels] = inputShape;
  const { filterHeight, filterWidth, strideHeight: sh, strideWidth: sw, outHeight, outWidth, outChannels } = info;
  const rows = Math.ceil(height / sh);
  const cols = Math.ceil(width / sw);

  const calls = new WasmCalls(backend);
  try {
    // [KH, KW, co, ci]: each tap's co x ci block is contiguous.
    const filterT = calls.transpose(filter, [0, 1, 3, 2]);
    const block = inChannels * outChannels;
    const phaseOutputs: TensorInfo[][] = [];
    for (let ph = 0; ph < sh; ph++) {
      const row: TensorInfo[] = [];
      const hp = axisPhase(ph, sh, info.padInfo.top, filterHeight);
      for (let pw = 0; pw < sw; pw++) {
        const wp = axisPhase(pw, sw, info.padInfo.left, filterWidth);
        if (hp.taps.length === 0 || wp.taps.length === 0) {
          row.push(calls.zeros([n, rows, cols, inChannels]));
          continue;
        }
        const sub = backend.makeOutput([hp.taps.length, wp.taps.length, outChannels, inChannels], 'float32');
        // Views of the heap are taken after the allocation: growing the heap detaches older views.
        const subValues = backend.typedArrayFromHeap(sub);
        const filterValues = backend.typedArrayFromHeap(filterT);
        hp.taps.forEach((kh, i) =>
          wp.taps.forEach((kw, j) => {
            const from = (kh * filterWidth + kw) * block;
            subValues.set(filterValues.subarray(from, from + block), (i * wp.taps.length + j) * block);
          }),
        );
        row.push(phaseConv(calls, dy, sub, hp, wp, rows, cols, outHeight, outWidth));
        backend.disposeData(sub.dataId);
      }
      phaseOutputs.push(row);
    }
    if (sh === 1 && sw === 1) {
      // One phase, already laid out as dx.
      const only = phaseOutputs[0][0];
      calls.dispose(only);
      return only;
    }
    const out = backend.makeOutput([n, height, width, inChannels], 'float32');
    interleave(backend, phaseOutputs, out, { n, height, width, inChannels, rows, cols, sh, sw });
    calls.dispose();
    return out;
  } catch (error) {
    calls.dispose();
    throw error;
  }
}

function phaseConv(
  calls: WasmCalls,
  dy: TensorInfo,
  filter: TensorInfo,
  hp: AxisPhase,
  wp: AxisPhase,
  rows: number,
  cols: number,
  outHeight: number,
  outWidth: number,
): TensorInfo {
  const kh = hp.taps.length;
  const kw = wp.taps.length;
  // Output rows = dyRows + before + after - kh + 1 must equal `rows`.
  const cropTop = Math.max(0, -hp.before);
  const cropLeft = Math.max(0, -wp.before);
  const top = Math.max(0, hp.before);
  const left = Math.max(0, wp.before);
  let bottom = rows + kh - 1 - (outHeight - cropTop) - top;
  let right = cols + kw - 1 - (outWidth - cropLeft) - left;
  const cropBottom = Math.max(0, -bottom);
  const cropRight = Math.max(0, -right);
  bottom = Math.max(0, bottom);
  right = Math.max(0, right);
  const [n, , , co] = dy.shape;
  const used = calls.slice(dy, [0, cropTop, cropLeft, 0], [n, outHeight - cropTop - cropBottom, outWidth - cropLeft - cropRight, co]);
  return calls.conv(used, filter, [top, bottom, left, right]);
}

/** Writes each phase's pixels into dx; every pixel is inChannels contiguous floats, copied inside the heap (no views allocated). */
function interleave(
  backend: WasmBackend,
  phases: TensorInfo[][],
  out: TensorInfo,
  d: { n: number; height: number; width: number; inChannels: number; rows: number; cols: number; sh: number; sw: number },
): void {
  const c = d.inChannels;
  const outView = backend.typedArrayFromHeap(out);
  const heap = new Float32Array(outView.buffer);
  const to = outView.byteOffset / 4;
  for (let ph = 0; ph < d.sh; ph++) {
    for (let pw = 0; pw < d.sw; pw++) {
      const from = backend.typedArrayFromHeap(phases[ph][pw]).byteOffset / 4;
      for (let b = 0; b < d.n; b++) {
        for (let i = 0; i * d.sh + ph < d.height; i++) {
          const h = i * d.sh + ph;
          let source = from + ((b * d.rows + i) * d.cols) * c;
          let target = to + ((b * d.height + h) * d.width + pw) * c;
          for (let j = 0; j * d.sw + pw < d.width; j++, source += c, target += d.sw * c) heap.copyWithin(target, source, source + c);
        }
      }
    }
  }
}

export const conv2DBackpropInputConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropInput',
  backendName: 'wasm',
  kernelFunc: conv2DBackpropInput as unknown as KernelFunc,
};
