import { wasmNormalizeKernel, type NormalizeKernel } from './wasm-kernels.js';

/** ImageNet statistics torchvision's pretrained models expect (transforms.Normalize). */
export const IMAGENET_MEAN = [0.485, 0.456, 0.406] as const;
export const IMAGENET_STD = [0.229, 0.224, 0.225] as const;

/**
 * ToTensor then Normalize in float32, as a lookup table: for channel c and
 * byte v, ((v / 255) - mean[c]) / std[c] with every step rounded to float32,
 * which is exactly what PyTorch computes.
 */
const TABLE = (() => {
  const table = new Float32Array(3 * 256);
  for (let c = 0; c < 3; c++) {
    const mean = Math.fround(IMAGENET_MEAN[c]);
    const std = Math.fround(IMAGENET_STD[c]);
    for (let v = 0; v < 256; v++) table[c * 256 + v] = Math.fround(Math.fround(Math.fround(v / 255) - mean) / std);
  }
  return table;
})();

const MEAN = Float32Array.from(IMAGENET_MEAN);
const STD = Float32Array.from(IMAGENET_STD);

/**
 * Writes normalised RGB floats of `pixels` (HWC uint8) into `out` at
 * `offset`: in WebAssembly SIMD where available (wasm-kernels.ts, the same
 * float32 steps), else through the table.
 */
export function normalizeInto(pixels: Uint8Array, out: Float32Array, offset: number, kernel: NormalizeKernel | null = wasmNormalizeKernel()): void {
  if (kernel) kernel(pixels, out, offset, MEAN, STD);
  else normalizeByTable(pixels, out, offset);
}

/** The reference: a lookup per byte in the exact table. */
export function normalizeByTable(pixels: Uint8Array, out: Float32Array, offset: number): void {
  for (let i = 0; i < pixels.length; i += 3) {
    out[offset + i] = TABLE[pixels[i]];
    out[offset + i + 1] = TABLE[256 + pixels[i + 1]];
    out[offset + i + 2] = TABLE[512 + pixels[i + 2]];
  }
}
