/*
 * WebAssembly SIMD kernels for the libjpeg-turbo decoder in jpeg-decoder.c,
 * through libjpeg-turbo's own hook for SIMD extensions (jsimd.h): the
 * accurate integer inverse DCT, YCbCr -> RGB conversion and 4:2:0 "fancy"
 * upsampling, the largest costs after Huffman decoding (together over half
 * of a 640 x 480 decode in C). Every other hook is libjpeg-turbo's
 * jsimd_none.c ("no SIMD here").
 *
 * Each computes exactly what the C code computes (jidctint.c's
 * jpeg_idct_islow, jdcolext.c's ycc_rgb_convert with jdcolor.c's tables,
 * jdsample.c's h2v2_fancy_upsample), the same integer operations on 4 or 8
 * lanes at a time, so the pixels do
 * not change: test/runtime/data/jpeg-decoder.test.ts holds the decoder to
 * Pillow's pixels, and tools/build-jpeg-decoder-wasm.sh builds a C-only
 * decoder too, which the same test compares on many generated photos.
 */
#define jsimd_can_idct_islow jsimd_none_can_idct_islow
#define jsimd_idct_islow jsimd_none_idct_islow
#define jsimd_can_ycc_rgb jsimd_none_can_ycc_rgb
#define jsimd_ycc_rgb_convert jsimd_none_ycc_rgb_convert
#define jsimd_can_h2v2_fancy_upsample jsimd_none_can_h2v2_fancy_upsample
#define jsimd_h2v2_fancy_upsample jsimd_none_h2v2_fancy_upsample
#include "libjpeg-turbo/jsimd_none.c"
#undef jsimd_can_idct_islow
#undef jsimd_idct_islow
#undef jsimd_can_ycc_rgb
#undef jsimd_ycc_rgb_convert
#undef jsimd_can_h2v2_fancy_upsample
#undef jsimd_h2v2_fancy_upsample

#include <wasm_simd128.h>

#ifndef SWEEPSPEC_C_ONLY

typedef v128_t vec;

static inline vec add(vec a, vec b) { return wasm_i32x4_add(a, b); }
static inline vec sub(vec a, vec b) { return wasm_i32x4_sub(a, b); }
static inline vec mul(vec a, int32_t c) { return wasm_i32x4_mul(a, wasm_i32x4_splat(c)); }

/* jidctint.c's constants (CONST_BITS 13). */
#define CONST_BITS 13
#define PASS1_BITS 2
#define FIX_0_298631336 2446
#define FIX_0_390180644 3196
#define FIX_0_541196100 4433
#define FIX_0_765366865 6270
#define FIX_0_899976223 7373
#define FIX_1_175875602 9633
#define FIX_1_501321110 12299
#define FIX_1_847759065 15137
#define FIX_1_961570560 16069
#define FIX_2_053119869 16819
#define FIX_2_562915447 20995
#define FIX_3_072711026 25172

/*
 * One pass of jpeg_idct_islow on four 8-point vectors at once (lane i of
 * in[k] is input k of vector i), descaled by `shift` with rounding. The C
 * code's shortcuts for all-zero AC terms give the same values as this full
 * computation, so there are none here.
 */
static inline void idct_pass(const vec in[8], vec out[8], int shift) {
  vec z2 = in[2], z3 = in[6];
  vec z1 = mul(add(z2, z3), FIX_0_541196100);
  vec tmp2 = add(z1, mul(z3, -FIX_1_847759065));
  vec tmp3 = add(z1, mul(z2, FIX_0_765366865));
  vec tmp0 = wasm_i32x4_shl(add(in[0], in[4]), CONST_BITS);
  vec tmp1 = wasm_i32x4_shl(sub(in[0], in[4]), CONST_BITS);
  vec tmp10 = add(tmp0, tmp3), tmp13 = sub(tmp0, tmp3);
  vec tmp11 = add(tmp1, tmp2), tmp12 = sub(tmp1, tmp2);

  tmp0 = in[7];
  tmp1 = in[5];
  tmp2 = in[3];
  tmp3 = in[1];
  z1 = add(tmp0, tmp3);
  z2 = add(tmp1, tmp2);
  z3 = add(tmp0, tmp2);
  vec z4 = add(tmp1, tmp3);
  vec z5 = mul(add(z3, z4), FIX_1_175875602);
  tmp0 = mul(tmp0, FIX_0_298631336);
  tmp1 = mul(tmp1, FIX_2_053119869);
  tmp2 = mul(tmp2, FIX_3_072711026);
  tmp3 = mul(tmp3, FIX_1_501321110);
  z1 = mul(z1, -FIX_0_899976223);
  z2 = mul(z2, -FIX_2_562915447);
  z3 = add(mul(z3, -FIX_1_961570560), z5);
  z4 = add(mul(z4, -FIX_0_390180644), z5);
  tmp0 = add(tmp0, add(z1, z3));
  tmp1 = add(tmp1, add(z2, z4));
  tmp2 = add(tmp2, add(z2, z3));
  tmp3 = add(tmp3, add(z1, z4));

  const vec round = wasm_i32x4_splat(1 << (shift - 1));
  out[0] = wasm_i32x4_shr(add(add(tmp10, tmp3), round), shift);
  out[7] = wasm_i32x4_shr(add(sub(tmp10, tmp3), round), shift);
  out[1] = wasm_i32x4_shr(add(add(tmp11, tmp2), round), shift);
  out[6] = wasm_i32x4_shr(add(sub(tmp11, tmp2), round), shift);
  out[2] = wasm_i32x4_shr(add(add(tmp12, tmp1), round), shift);
  out[5] = wasm_i32x4_shr(add(sub(tmp12, tmp1), round), shift);
  out[3] = wasm_i32x4_shr(add(add(tmp13, tmp0), round), shift);
  out[4] = wasm_i32x4_shr(add(sub(tmp13, tmp0), round), shift);
}

/* Transposes the 4 x 4 block a, b, c, d (rows) in place. */
static inline void transpose4(vec *a, vec *b, vec *c, vec *d) {
  vec t0 = wasm_i32x4_shuffle(*a, *b, 0, 4, 1, 5);
  vec t1 = wasm_i32x4_shuffle(*a, *b, 2, 6, 3, 7);
  vec t2 = wasm_i32x4_shuffle(*c, *d, 0, 4, 1, 5);
  vec t3 = wasm_i32x4_shuffle(*c, *d, 2, 6, 3, 7);
  *a = wasm_i32x4_shuffle(t0, t2, 0, 1, 4, 5);
  *b = wasm_i32x4_shuffle(t0, t2, 2, 3, 6, 7);
  *c = wasm_i32x4_shuffle(t1, t3, 0, 1, 4, 5);
  *d = wasm_i32x4_shuffle(t1, t3, 2, 3, 6, 7);
}

/* An 8 x 8 block held as m[row][half] (half 0: columns 0-3, 1: columns 4-7), transposed. */
static inline void transpose8(vec m[8][2]) {
  transpose4(&m[0][0], &m[1][0], &m[2][0], &m[3][0]);
  transpose4(&m[4][1], &m[5][1], &m[6][1], &m[7][1]);
  transpose4(&m[0][1], &m[1][1], &m[2][1], &m[3][1]);
  transpose4(&m[4][0], &m[5][0], &m[6][0], &m[7][0]);
  for (int i = 0; i < 4; i++) {
    vec upper_right = m[i][1];
    m[i][1] = m[4 + i][0];
    m[4 + i][0] = upper_right;
  }
}

GLOBAL(int)
jsimd_can_idct_islow(void)
{
  /* jddctmgr.c hands this the quantisation table as MULTIPLIER (int without WITH_SIMD). */
  return sizeof(ISLOW_MULT_TYPE) == 4 && DCTSIZE == 8 && BITS_IN_JSAMPLE == 8;
}

GLOBAL(void)
jsimd_idct_islow(j_decompress_ptr cinfo, jpeg_component_info *compptr,
                 JCOEFPTR coef_block, JSAMPARRAY output_buf,
                 JDIMENSION output_col)
{
  const ISLOW_MULT_TYPE *quant = (const ISLOW_MULT_TYPE *)compptr->dct_table;
  vec m[8][2], in[8], out[8];

  /* Pass 1, columns (lane = column): coefficient rows k = 0..7 dequantised. */
  for (int half = 0; half < 2; half++) {
    for (int k = 0; k < 8; k++) {
      vec coef = wasm_i32x4_load16x4(coef_block + k * 8 + half * 4);
      in[k] = wasm_i32x4_mul(coef, wasm_v128_load(quant + k * 8 + half * 4));
    }
    idct_pass(in, out, CONST_BITS - PASS1_BITS);
    for (int k = 0; k < 8; k++) m[k][half] = out[k];
  }

  /* Pass 2, rows (lane = row, after a transpose): m[c][half] holds column c of rows 4 * half .. + 3. */
  transpose8(m);
  for (int half = 0; half < 2; half++) {
    for (int c = 0; c < 8; c++) in[c] = m[c][half];
    idct_pass(in, out, CONST_BITS + PASS1_BITS + 3);
    /*
     * range_limit[x & RANGE_MASK] (IDCT_range_limit, jdmaster.c's table) is
     * x's low 10 bits read as a signed number, plus 128, clamped to 0..255.
     */
    for (int c = 0; c < 8; c++) {
      vec x = wasm_i32x4_shr(wasm_i32x4_shl(out[c], 22), 22);
      m[c][half] = wasm_i32x4_add(x, wasm_i32x4_splat(CENTERJSAMPLE));
    }
  }
  transpose8(m);
  for (int row = 0; row < 8; row++) {
    vec shorts = wasm_i16x8_narrow_i32x4(m[row][0], m[row][1]);
    vec bytes = wasm_u8x16_narrow_i16x8(shorts, shorts);
    wasm_v128_store64_lane(output_buf[row] + output_col, bytes, 0);
  }
}

/* jdcolor.c's YCbCr -> RGB constants (SCALEBITS 16). */
#define SCALEBITS 16
#define ONE_HALF (1 << (SCALEBITS - 1))
#define FIX_1_40200 91881
#define FIX_1_77200 116130
#define FIX_0_71414 46802
#define FIX_0_34414 22554

GLOBAL(int)
jsimd_can_ycc_rgb(void)
{
  return BITS_IN_JSAMPLE == 8 && RGB_PIXELSIZE == 3 && RGB_RED == 0 && RGB_GREEN == 1 && RGB_BLUE == 2;
}

/* Four pixels' red, green and blue (unclamped) from luma y and centred chroma cb, cr: jdcolext.c's sums. */
static inline void ycc4(vec y, vec cb, vec cr, vec *r, vec *g, vec *b) {
  const vec half = wasm_i32x4_splat(ONE_HALF);
  *r = add(y, wasm_i32x4_shr(add(mul(cr, FIX_1_40200), half), SCALEBITS));
  *g = add(y, wasm_i32x4_shr(add(add(mul(cb, -FIX_0_34414), half), mul(cr, -FIX_0_71414)), SCALEBITS));
  *b = add(y, wasm_i32x4_shr(add(mul(cb, FIX_1_77200), half), SCALEBITS));
}

/* Sixteen bytes as four i32x4 (low to high), optionally minus 128. */
static inline void widen16(vec bytes, vec out[4], int centre) {
  vec lo = wasm_u16x8_extend_low_u8x16(bytes), hi = wasm_u16x8_extend_high_u8x16(bytes);
  out[0] = wasm_u32x4_extend_low_u16x8(lo);
  out[1] = wasm_u32x4_extend_high_u16x8(lo);
  out[2] = wasm_u32x4_extend_low_u16x8(hi);
  out[3] = wasm_u32x4_extend_high_u16x8(hi);
  if (centre)
    for (int i = 0; i < 4; i++) out[i] = wasm_i32x4_sub(out[i], wasm_i32x4_splat(CENTERJSAMPLE));
}

/* Four i32x4 clamped to 0..255 (range_limit over -256..511) as sixteen bytes. */
static inline vec narrow16(const vec v[4]) {
  return wasm_u8x16_narrow_i16x8(wasm_i16x8_narrow_i32x4(v[0], v[1]), wasm_i16x8_narrow_i32x4(v[2], v[3]));
}

GLOBAL(void)
jsimd_ycc_rgb_convert(j_decompress_ptr cinfo, JSAMPIMAGE input_buf,
                      JDIMENSION input_row, JSAMPARRAY output_buf,
                      int num_rows)
{
  /* Only plain RGB output is ever asked for (jpeg-decoder.c); anything else would be a wrong layout. */
  if (cinfo->out_color_space != JCS_RGB) ERREXIT(cinfo, JERR_CONVERSION_NOTIMPL);
  const JDIMENSION num_cols = cinfo->output_width;
  while (--num_rows >= 0) {
    const JSAMPLE *y_row = input_buf[0][input_row];
    const JSAMPLE *cb_row = input_buf[1][input_row];
    const JSAMPLE *cr_row = input_buf[2][input_row];
    input_row++;
    JSAMPLE *out = *output_buf++;
    JDIMENSION col = 0;
    for (; col + 16 <= num_cols; col += 16, out += 48) {
      vec y[4], cb[4], cr[4], r[4], g[4], b[4];
      widen16(wasm_v128_load(y_row + col), y, 0);
      widen16(wasm_v128_load(cb_row + col), cb, 1);
      widen16(wasm_v128_load(cr_row + col), cr, 1);
      for (int i = 0; i < 4; i++) ycc4(y[i], cb[i], cr[i], &r[i], &g[i], &b[i]);
      vec R = narrow16(r), G = narrow16(g), B = narrow16(b);
      vec t0 = wasm_i8x16_shuffle(R, G, 0, 16, 0, 1, 17, 0, 2, 18, 0, 3, 19, 0, 4, 20, 0, 5);
      vec t1 = wasm_i8x16_shuffle(R, G, 21, 0, 6, 22, 0, 7, 23, 0, 8, 24, 0, 9, 25, 0, 10, 26);
      vec t2 = wasm_i8x16_shuffle(R, G, 0, 11, 27, 0, 12, 28, 0, 13, 29, 0, 14, 30, 0, 15, 31, 0);
      wasm_v128_store(out, wasm_i8x16_shuffle(t0, B, 0, 1, 16, 3, 4, 17, 6, 7, 18, 9, 10, 19, 12, 13, 20, 15));
      wasm_v128_store(out + 16, wasm_i8x16_shuffle(t1, B, 0, 21, 2, 3, 22, 5, 6, 23, 8, 9, 24, 11, 12, 25, 14, 15));
      wasm_v128_store(out + 32, wasm_i8x16_shuffle(t2, B, 26, 1, 2, 27, 4, 5, 28, 7, 8, 29, 10, 11, 30, 13, 14, 31));
    }
    for (; col < num_cols; col++, out += 3) {
      int y = y_row[col], cb = cb_row[col] - CENTERJSAMPLE, cr = cr_row[col] - CENTERJSAMPLE;
      int r = y + ((FIX_1_40200 * cr + ONE_HALF) >> SCALEBITS);
      int g = y + ((-FIX_0_34414 * cb + ONE_HALF + -FIX_0_71414 * cr) >> SCALEBITS);
      int b = y + ((FIX_1_77200 * cb + ONE_HALF) >> SCALEBITS);
      out[0] = r < 0 ? 0 : r > 255 ? 255 : r;
      out[1] = g < 0 ? 0 : g > 255 ? 255 : g;
      out[2] = b < 0 ? 0 : b > 255 ? 255 : b;
    }
  }
}

GLOBAL(int)
jsimd_can_h2v2_fancy_upsample(void)
{
  return BITS_IN_JSAMPLE == 8;
}

/* jdsample.c's h2v2_fancy_upsample, with 8 input columns at a time in the middle of wide rows. */
GLOBAL(void)
jsimd_h2v2_fancy_upsample(j_decompress_ptr cinfo, jpeg_component_info *compptr,
                          JSAMPARRAY input_data, JSAMPARRAY *output_data_ptr)
{
  JSAMPARRAY output_data = *output_data_ptr;
  const JDIMENSION width = compptr->downsampled_width;
  int inrow = 0, outrow = 0;
  while (outrow < cinfo->max_v_samp_factor) {
    for (int v = 0; v < 2; v++) {
      /* in0: the nearest input row; in1: the next nearest (above for the first output row, below for the second). */
      const JSAMPLE *in0 = input_data[inrow];
      const JSAMPLE *in1 = input_data[v == 0 ? inrow - 1 : inrow + 1];
      JSAMPLE *out = output_data[outrow++];
      if (width < 10) {
        /* The C code as it is, narrow rows included. */
        int thiscolsum = in0[0] * 3 + in1[0], nextcolsum = in0[1] * 3 + in1[1], lastcolsum;
        *out++ = (JSAMPLE)((thiscolsum * 4 + 8) >> 4);
        *out++ = (JSAMPLE)((thiscolsum * 3 + nextcolsum + 7) >> 4);
        lastcolsum = thiscolsum;
        thiscolsum = nextcolsum;
        for (JDIMENSION colctr = width - 2, i = 2; colctr > 0; colctr--, i++) {
          nextcolsum = in0[i] * 3 + in1[i];
          *out++ = (JSAMPLE)((thiscolsum * 3 + lastcolsum + 8) >> 4);
          *out++ = (JSAMPLE)((thiscolsum * 3 + nextcolsum + 7) >> 4);
          lastcolsum = thiscolsum;
          thiscolsum = nextcolsum;
        }
        *out++ = (JSAMPLE)((thiscolsum * 3 + lastcolsum + 8) >> 4);
        *out++ = (JSAMPLE)((thiscolsum * 4 + 7) >> 4);
        continue;
      }
      /* Column i's sum is in0[i] * 3 + in1[i]; output 2i leans on column i - 1, output 2i + 1 on column i + 1. */
#define COLSUM(i) (in0[i] * 3 + in1[i])
      out[0] = (JSAMPLE)((COLSUM(0) * 4 + 8) >> 4);
      JDIMENSION i = 1;
      const vec three = wasm_i16x8_splat(3);
      for (; i + 8 <= width - 1; i += 8) {
        vec last = wasm_i16x8_add(wasm_i16x8_mul(wasm_u16x8_load8x8(in0 + i - 1), three), wasm_u16x8_load8x8(in1 + i - 1));
        vec here = wasm_i16x8_add(wasm_i16x8_mul(wasm_u16x8_load8x8(in0 + i), three), wasm_u16x8_load8x8(in1 + i));
        vec next = wasm_i16x8_add(wasm_i16x8_mul(wasm_u16x8_load8x8(in0 + i + 1), three), wasm_u16x8_load8x8(in1 + i + 1));
        vec here3 = wasm_i16x8_mul(here, three);
        vec even = wasm_u16x8_shr(wasm_i16x8_add(wasm_i16x8_add(here3, last), wasm_i16x8_splat(8)), 4);
        vec odd = wasm_u16x8_shr(wasm_i16x8_add(wasm_i16x8_add(here3, next), wasm_i16x8_splat(7)), 4);
        /* Both at most 255: the low byte of each 16-bit lane, even then odd, is the output order. */
        wasm_v128_store(out + 2 * i, wasm_v128_or(even, wasm_i16x8_shl(odd, 8)));
      }
      out[1] = (JSAMPLE)((COLSUM(0) * 3 + COLSUM(1) + 7) >> 4);
      for (; i < width - 1; i++) {
        out[2 * i] = (JSAMPLE)((COLSUM(i) * 3 + COLSUM(i - 1) + 8) >> 4);
        out[2 * i + 1] = (JSAMPLE)((COLSUM(i) * 3 + COLSUM(i + 1) + 7) >> 4);
      }
      out[2 * i] = (JSAMPLE)((COLSUM(i) * 3 + COLSUM(i - 1) + 8) >> 4);
      out[2 * i + 1] = (JSAMPLE)((COLSUM(i) * 4 + 7) >> 4);
#undef COLSUM
    }
    inrow++;
  }
}

#else /* SWEEPSPEC_C_ONLY: libjpeg-turbo's C code throughout (the reference build). */

GLOBAL(int) jsimd_can_idct_islow(void) { return 0; }
GLOBAL(void) jsimd_idct_islow(j_decompress_ptr cinfo, jpeg_component_info *compptr, JCOEFPTR coef_block, JSAMPARRAY output_buf, JDIMENSION output_col) {}
GLOBAL(int) jsimd_can_ycc_rgb(void) { return 0; }
GLOBAL(void) jsimd_ycc_rgb_convert(j_decompress_ptr cinfo, JSAMPIMAGE input_buf, JDIMENSION input_row, JSAMPARRAY output_buf, int num_rows) {}
GLOBAL(int) jsimd_can_h2v2_fancy_upsample(void) { return 0; }
GLOBAL(void) jsimd_h2v2_fancy_upsample(j_decompress_ptr cinfo, jpeg_component_info *compptr, JSAMPARRAY input_data, JSAMPARRAY *output_data_ptr) {}

#endif
