import { readFileSync } from 'node:fs';
import type { Coefficients, ResampleKernel } from './pil-resize.js';

/**
 * The data path's hot loops in WebAssembly SIMD (wasm/image-kernels.c, built
 * by tools/build-image-kernels-wasm.sh and committed): the resize passes of
 * pil-resize.ts (same integer arithmetic, 4 to 16 lanes at a time) and
 * ToTensor + Normalize (same float32 steps), so the same bytes and floats as
 * the JavaScript versions, several times faster. One instance per thread
 * (each data worker has its own) with its own memory, grown to the largest
 * image seen. Where WebAssembly SIMD is missing the module does not compile,
 * the getters return null and the JavaScript versions run instead.
 */
interface Exports {
  readonly horizontal: (src: number, srcStride: number, rows: number, bounds: number, weights: number, ksize: number, outWidth: number, out: number) => void;
  readonly vertical: (src: number, stride: number, outHeight: number, bounds: number, weights: number, ksize: number, rowOffset: number, out: number) => void;
  readonly normalize: (src: number, count: number, out: number, mean: number, std: number) => void;
  readonly __heap_base: WebAssembly.Global;
}

/** Writes ToTensor + Normalize floats of RGB `pixels` (channel statistics `mean`, `std`) into `out` at `offset`. */
export type NormalizeKernel = (pixels: Uint8Array, out: Float32Array, offset: number, mean: Float32Array, std: Float32Array) => void;

interface Kernels {
  readonly resample: ResampleKernel;
  readonly normalize: NormalizeKernel;
}

const PAGE = 65536;
/** Slack after every buffer: the kernels read (and the horizontal pass writes) a few bytes past the end. */
const SLACK = 16;

let kernels: Kernels | null | undefined;

/** This thread's WebAssembly resize passes, or null where WebAssembly SIMD is unavailable. */
export function wasmResampleKernel(): ResampleKernel | null {
  kernels ??= instantiate();
  return kernels?.resample ?? null;
}

/** This thread's WebAssembly ToTensor + Normalize, or null where WebAssembly SIMD is unavailable. */
export function wasmNormalizeKernel(): NormalizeKernel | null {
  kernels ??= instantiate();
  return kernels?.normalize ?? null;
}

function instantiate(): Kernels | null {
  let module: WebAssembly.Module;
  try {
    module = new WebAssembly.Module(readFileSync(new URL('./wasm/image-kernels.wasm', import.meta.url)));
  } catch {
    return null;
  }
  const memory = new WebAssembly.Memory({ initial: 4 });
  const exports = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as Exports;
  const heapBase = align(exports.__heap_base.value as number);

  /** Lays out buffers of the given byte sizes from the heap base (16-byte aligned, with slack), growing memory to fit. */
  function layout(sizes: readonly number[]): number[] {
    const offsets: number[] = [];
    let end = heapBase;
    for (const size of sizes) {
      offsets.push(end);
      end = align(end + size + SLACK);
    }
    if (end > memory.buffer.byteLength) memory.grow(Math.ceil((end - memory.buffer.byteLength) / PAGE));
    return offsets;
  }

  function putCoefficients(c: Coefficients, boundsAt: number, weightsAt: number): void {
    new Int32Array(memory.buffer, boundsAt, c.bounds.length).set(c.bounds);
    new Int32Array(memory.buffer, weightsAt, c.weights.length).set(c.weights);
  }

  const resample: ResampleKernel = (image, horizontal, vertical, firstRow, lastRow, box, target) => {
    const rows = lastRow - firstRow;
    const outStride = box.width * 3;
    // The source rows the passes read: whole rows for a horizontal pass, else only the box's columns.
    const sourceStride = horizontal ? image.width * 3 : outStride;
    const [source, middle, out, hBounds, hWeights, vBounds, vWeights] = layout([
      rows * sourceStride,
      horizontal && vertical ? rows * outStride : 0,
      box.height * outStride,
      (horizontal?.bounds.length ?? 0) * 4,
      (horizontal?.weights.length ?? 0) * 4,
      (vertical?.bounds.length ?? 0) * 4,
      (vertical?.weights.length ?? 0) * 4,
    ]);
    const bytes = new Uint8Array(memory.buffer);
    if (horizontal) {
      bytes.set(image.data.subarray(firstRow * sourceStride, lastRow * sourceStride), source);
    } else {
      for (let y = 0; y < rows; y++) {
        const from = ((firstRow + y) * image.width + box.left) * 3;
        bytes.set(image.data.subarray(from, from + outStride), source + y * outStride);
      }
    }
    let rowsAt = source;
    if (horizontal) {
      putCoefficients(horizontal, hBounds, hWeights);
      rowsAt = vertical ? middle : out;
      exports.horizontal(source, sourceStride, rows, hBounds, hWeights, horizontal.size, box.width, rowsAt);
    }
    if (vertical) {
      putCoefficients(vertical, vBounds, vWeights);
      exports.vertical(rowsAt, outStride, box.height, vBounds, vWeights, vertical.size, firstRow, out);
    }
    target.set(bytes.subarray(out, out + box.height * outStride));
  };

  const normalize: NormalizeKernel = (pixels, out, offset, mean, std) => {
    const [source, floats, meanAt, stdAt] = layout([pixels.length, pixels.length * 4, 12, 12]);
    new Uint8Array(memory.buffer).set(pixels, source);
    new Float32Array(memory.buffer, meanAt, 3).set(mean);
    new Float32Array(memory.buffer, stdAt, 3).set(std);
    exports.normalize(source, pixels.length, floats, meanAt, stdAt);
    out.set(new Float32Array(memory.buffer, floats, pixels.length), offset);
  };

  return { resample, normalize };
}

function align(offset: number): number {
  return (offset + 15) & ~15;
}
