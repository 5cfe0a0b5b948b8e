/**
 * Calling wasm kernels from inside another wasm kernel: composed kernels run
 * below the engine, so they call kernel functions directly and free every
 * intermediate they make with `disposeData`.
 */
import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '../tf.js';
import { heapTranspose } from './heap-transpose.js';

/** The parts of tfjs-backend-wasm's BackendWasm the composed kernels use. */
export interface WasmBackend {
  disposeData(dataId: object, force?: boolean): boolean;
  makeOutput(shape: number[], dtype: 'float32' | 'int32'): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
  readSync(dataId: object): Float32Array;
}

export class WasmCalls {
  private readonly temporaries: TensorInfo[] = [];

  constructor(private readonly backend: WasmBackend) {}

  /** Runs kernel `name`; its output is freed by `dispose()` unless passed to `keep`. */
  run(name: string, inputs: Record<string, TensorInfo>, attrs: NamedAttrMap = {}): TensorInfo {
    const kernel = tf.getKernel(name, 'wasm');
    if (!kernel) throw new Error(`wasm kernel ${name} is not registered`);
    const out = kernel.kernelFunc({ inputs, attrs, backend: this.backend as never }) as TensorInfo;
    this.temporaries.push(out);
    return out;
  }

  /** A zero-filled float32 tensor, freed by `dispose()`. */
  zeros(shape: number[]): TensorInfo {
    const out = this.backend.makeOutput(shape, 'float32');
    this.backend.typedArrayFromHeap(out).fill(0);
    this.temporaries.push(out);
    return out;
  }

  /** An uninitialised float32 tensor, freed by `dispose()`. */
  output(shape: number[]): TensorInfo {
    const out = this.backend.makeOutput(shape, 'float32');
    this.temporaries.push(out);
    return out;
  }

  /**
   * wasm's Transpose; 2-D ones in JavaScript (heap-transpose.ts), which took
   * 6.9 ms against wasm's 10.2 for [25088, 64]. wasm's kernel stays for 4-D,
   * where it was 1.3-7x faster (channel-to-batch moves such as [3, 1, 2, 0]).
   */
  transpose(x: TensorInfo, perm: number[]): TensorInfo {
    if (x.shape.length !== 2) return this.run('Transpose', { x }, { perm });
    const out = this.output(perm.map((axis) => x.shape[axis]));
    const heap = new Float32Array(this.backend.typedArrayFromHeap(out).buffer);
    heapTranspose(heap, this.offset(x), this.offset(out), x.shape, perm);
    return out;
  }

  /** Float offset of a tensor in the heap. */
  offset(x: TensorInfo): number {
    return this.backend.typedArrayFromHeap(x).byteOffset / 4;
  }

  slice(x: TensorInfo, begin: number[], size: number[]): TensorInfo {
    if (size.every((s, i) => s === x.shape[i])) return x;
    return this.run('Slice', { x }, { begin, size });
  }

  /** Stride-1 NHWC convolution with explicit (non-negative) padding and dilations. */
  conv(x: TensorInfo, filter: TensorInfo, pad: readonly [number, number, number, number], dilations: [number, number] = [1, 1]): TensorInfo {
    const [top, bottom, left, right] = pad;
    return this.run(
      'Conv2D',
      { x, filter },
      { strides: [1, 1], pad: [[0, 0], [top, bottom], [left, right], [0, 0]], dataFormat: 'NHWC', dilations, dimRoundingMode: undefined as never },
    );
  }

  /** The same tensor with another shape of the same size (no copy, no kernel). */
  static withShape(x: TensorInfo, shape: number[]): TensorInfo {
    return { dataId: x.dataId, shape, dtype: x.dtype };
  }

  /** Frees every temporary except `keep`. */
  dispose(keep?: TensorInfo): void {
    for (const t of this.temporaries) if (t !== keep) this.backend.disposeData(t.dataId);
    this.temporaries.length = 0;
  }
}
