/*
 * The data workers' hot loops in WebAssembly SIMD (wasm-kernels.ts loads
 * them; build: tools/build-image-kernels-wasm.sh, the .wasm is committed).
 *
 * The two passes of Pillow's bilinear resample (Resample.c, ImagingResample
 * with 22-bit fixed-point coefficients) for 8-bit RGB: pil-resize.ts computes
 * the coefficients and holds the JavaScript reference passes; these produce
 * the same bytes (test/runtime/data/pil-resize.test.ts checks them bit for
 * bit).
 *
 * Sums are int32 exactly as in the reference (products of a byte and a
 * non-negative weight below 2^22, at most a few dozen taps: below 2^31), and
 * clip8 (>= 255 << 22 -> 255, <= 0 -> 0, else >> 22) is an arithmetic shift
 * followed by saturating narrowing to uint8, which gives the same value.
 */
#include <stdint.h>
#include <wasm_simd128.h>

#define PRECISION_BITS 22
#define HALF (1 << (PRECISION_BITS - 1))

#define EXPORT(name) __attribute__((export_name(name)))

static inline v128_t widen_low_u8_to_i32(v128_t bytes) {
  return wasm_u32x4_extend_low_u16x8(wasm_u16x8_extend_low_u8x16(bytes));
}

/*
 * Horizontal pass: `rows` rows of `src` (stride `src_stride` bytes) into rows
 * of `out_width` RGB pixels. Output pixel x sums bounds[2x + 1] input pixels
 * from bounds[2x] with weights[x * ksize + k]. Each tap loads 4 bytes (the
 * 4th belongs to the next pixel and is ignored) and each output pixel stores
 * 4 (the 4th is overwritten by the next pixel): `src` and `out` need one
 * byte of slack after their last pixel.
 */
EXPORT("horizontal")
void horizontal(const uint8_t *src, int src_stride, int rows, const int32_t *bounds, const int32_t *weights, int ksize, int out_width, uint8_t *out) {
  const v128_t half = wasm_i32x4_splat(HALF);
  for (int y = 0; y < rows; y++) {
    const uint8_t *row = src + (long)y * src_stride;
    uint8_t *o = out + (long)y * out_width * 3;
    for (int x = 0; x < out_width; x++) {
      const uint8_t *p = row + bounds[2 * x] * 3;
      const int taps = bounds[2 * x + 1];
      const int32_t *w = weights + x * ksize;
      v128_t sum = half;
      for (int k = 0; k < taps; k++) {
        v128_t pixel = widen_low_u8_to_i32(wasm_v128_load32_zero(p + 3 * k));
        sum = wasm_i32x4_add(sum, wasm_i32x4_mul(pixel, wasm_i32x4_splat(w[k])));
      }
      v128_t shifted = wasm_i32x4_shr(sum, PRECISION_BITS);
      v128_t words = wasm_i16x8_narrow_i32x4(shifted, shifted);
      v128_t bytes = wasm_u8x16_narrow_i16x8(words, words);
      wasm_v128_store32_lane(o + 3 * x, bytes, 0);
    }
  }
}

static inline uint8_t clip8(int32_t value) {
  if (value >= (255 << PRECISION_BITS)) return 255;
  if (value <= 0) return 0;
  return (uint8_t)(value >> PRECISION_BITS);
}

/*
 * Vertical pass: output row yy (of `out_height`, each `stride` bytes) sums
 * bounds[2yy + 1] whole rows of `src` from row bounds[2yy] - row_offset with
 * weights[yy * ksize + k]; 16 bytes at a time, the rest of a row one by one.
 */
EXPORT("vertical")
void vertical(const uint8_t *src, int stride, int out_height, const int32_t *bounds, const int32_t *weights, int ksize, int row_offset, uint8_t *out) {
  const v128_t half = wasm_i32x4_splat(HALF);
  for (int yy = 0; yy < out_height; yy++) {
    const uint8_t *first = src + (long)(bounds[2 * yy] - row_offset) * stride;
    const int taps = bounds[2 * yy + 1];
    const int32_t *w = weights + yy * ksize;
    uint8_t *o = out + (long)yy * stride;
    int i = 0;
    for (; i + 16 <= stride; i += 16) {
      v128_t s0 = half, s1 = half, s2 = half, s3 = half;
      for (int k = 0; k < taps; k++) {
        const v128_t bytes = wasm_v128_load(first + (long)k * stride + i);
        const v128_t weight = wasm_i32x4_splat(w[k]);
        const v128_t low = wasm_u16x8_extend_low_u8x16(bytes);
        const v128_t high = wasm_u16x8_extend_high_u8x16(bytes);
        s0 = wasm_i32x4_add(s0, wasm_i32x4_mul(wasm_u32x4_extend_low_u16x8(low), weight));
        s1 = wasm_i32x4_add(s1, wasm_i32x4_mul(wasm_u32x4_extend_high_u16x8(low), weight));
        s2 = wasm_i32x4_add(s2, wasm_i32x4_mul(wasm_u32x4_extend_low_u16x8(high), weight));
        s3 = wasm_i32x4_add(s3, wasm_i32x4_mul(wasm_u32x4_extend_high_u16x8(high), weight));
      }
      const v128_t words0 = wasm_i16x8_narrow_i32x4(wasm_i32x4_shr(s0, PRECISION_BITS), wasm_i32x4_shr(s1, PRECISION_BITS));
      const v128_t words1 = wasm_i16x8_narrow_i32x4(wasm_i32x4_shr(s2, PRECISION_BITS), wasm_i32x4_shr(s3, PRECISION_BITS));
      wasm_v128_store(o + i, wasm_u8x16_narrow_i16x8(words0, words1));
    }
    for (; i < stride; i++) {
      int32_t sum = HALF;
      for (int k = 0; k < taps; k++) sum += first[(long)k * stride + i] * w[k];
      o[i] = clip8(sum);
    }
  }
}

/*
 * ToTensor + Normalize: out[i] = ((src[i] / 255) - mean[c]) / std[c] for the
 * channel c = i % 3 of RGB bytes, every step rounded to float32 as PyTorch
 * does (IEEE division and subtraction, no fused or reordered arithmetic:
 * built without -ffast-math). `count` bytes, a multiple of 3; 12 at a time,
 * with the three channel patterns of four lanes that 12 bytes cover. Reads up
 * to 4 bytes past the last 12-byte group: `src` needs slack.
 */
EXPORT("normalize")
void normalize(const uint8_t *src, int count, float *out, const float *mean, const float *std) {
  const v128_t scale = wasm_f32x4_splat(255.0f);
  const v128_t m0 = wasm_f32x4_make(mean[0], mean[1], mean[2], mean[0]);
  const v128_t m1 = wasm_f32x4_make(mean[1], mean[2], mean[0], mean[1]);
  const v128_t m2 = wasm_f32x4_make(mean[2], mean[0], mean[1], mean[2]);
  const v128_t s0 = wasm_f32x4_make(std[0], std[1], std[2], std[0]);
  const v128_t s1 = wasm_f32x4_make(std[1], std[2], std[0], std[1]);
  const v128_t s2 = wasm_f32x4_make(std[2], std[0], std[1], std[2]);
  int i = 0;
  for (; i + 12 <= count; i += 12) {
    const v128_t bytes = wasm_v128_load(src + i);
    const v128_t low = wasm_u16x8_extend_low_u8x16(bytes);
    const v128_t high = wasm_u16x8_extend_high_u8x16(bytes);
    const v128_t f0 = wasm_f32x4_convert_u32x4(wasm_u32x4_extend_low_u16x8(low));
    const v128_t f1 = wasm_f32x4_convert_u32x4(wasm_u32x4_extend_high_u16x8(low));
    const v128_t f2 = wasm_f32x4_convert_u32x4(wasm_u32x4_extend_low_u16x8(high));
    wasm_v128_store(out + i, wasm_f32x4_div(wasm_f32x4_sub(wasm_f32x4_div(f0, scale), m0), s0));
    wasm_v128_store(out + i + 4, wasm_f32x4_div(wasm_f32x4_sub(wasm_f32x4_div(f1, scale), m1), s1));
    wasm_v128_store(out + i + 8, wasm_f32x4_div(wasm_f32x4_sub(wasm_f32x4_div(f2, scale), m2), s2));
  }
  for (; i < count; i++) {
    const int c = i % 3;
    out[i] = ((float)src[i] / 255.0f - mean[c]) / std[c];
  }
}
