/*
 * JPEG decoding in WebAssembly for the data workers (jpeg-decoder.ts loads
 * it; build: tools/build-jpeg-decoder-wasm.sh, the .wasm is committed).
 *
 * It is libjpeg-turbo 2.1.5.1's own decoder (libjpeg-turbo/, unmodified
 * sources but the three configuration headers CMake would generate), the
 * version Debian's Pillow links, with the settings Pillow decodes with (the
 * library defaults: accurate integer IDCT, fancy upsampling), so the pixels
 * are torchvision's bit for bit. libjpeg-turbo's C paths give the same output
 * as its SIMD ones by design; here they run as WebAssembly, synchronously on
 * the calling thread: no thread hand-offs, no per-image buffers for the
 * garbage collector.
 *
 * Only plain 8-bit JPEGs (grey, YCbCr or RGB) take this path. Anything else
 * (CMYK, 12-bit), any error and any libjpeg warning (a truncated or damaged
 * file) ends the decode through the imported `fail`, which throws in
 * JavaScript; the caller then hands the file to sharp, which decodes it as
 * before or reports why it cannot.
 *
 * Memory: one arena from __heap_base, reset by every decode: the input
 * bytes, libjpeg's working memory (jpeg_get_small/large below, in place of
 * jmemnobs.c) and the RGB output. Nothing is freed individually.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "libjpeg-turbo/jpeglib.h"
#include "libjpeg-turbo/jerror.h"
#define JPEG_INTERNALS
#include "libjpeg-turbo/jmemsys.h"

#define EXPORT(name) __attribute__((export_name(name)))
#define IMPORT(name) __attribute__((import_module("env"), import_name(name)))

/** Throws in JavaScript (never returns): `code` is libjpeg's message code, or one of ours below. */
IMPORT("fail") _Noreturn void fail(int code);

enum { UNSUPPORTED = 10000, OUT_OF_MEMORY = 10001 };

extern unsigned char __heap_base;
static size_t arena_start = 0;
static size_t arena_top = 0;

static void *arena_alloc(size_t size) {
  size_t at = (arena_top + 15) & ~(size_t)15;
  size_t end = at + size;
  if (end < at) fail(OUT_OF_MEMORY);
  size_t have = __builtin_wasm_memory_size(0) * 65536;
  if (end > have) {
    size_t pages = (end - have + 65535) / 65536;
    if (__builtin_wasm_memory_grow(0, pages) == (size_t)-1) fail(OUT_OF_MEMORY);
  }
  arena_top = end;
  return (void *)at;
}

/* libjpeg's system-dependent memory manager (jmemsys.h), on the arena. */
void *jpeg_get_small(j_common_ptr cinfo, size_t size) { return arena_alloc(size); }
void jpeg_free_small(j_common_ptr cinfo, void *object, size_t size) {}
void *jpeg_get_large(j_common_ptr cinfo, size_t size) { return arena_alloc(size); }
void jpeg_free_large(j_common_ptr cinfo, void *object, size_t size) {}
size_t jpeg_mem_available(j_common_ptr cinfo, size_t min_bytes_needed, size_t max_bytes_needed, size_t already_allocated) {
  return max_bytes_needed;
}
void jpeg_open_backing_store(j_common_ptr cinfo, backing_store_ptr info, long total_bytes_needed) { ERREXIT(cinfo, JERR_NO_BACKING_STORE); }
long jpeg_mem_init(j_common_ptr cinfo) { return 0; }
void jpeg_mem_term(j_common_ptr cinfo) {}

/*
 * libjpeg's default error handlers (jerror.c) print to stderr and exit; they
 * are replaced below, so these stand in for the C library's stdio, which
 * would make the module import WASI's file calls (messages are never
 * formatted here: the caller gets libjpeg's code). exit stays the C
 * library's: its WASI proc_exit is imported, and throws.
 */
FILE *const stderr = NULL;
int fprintf(FILE *restrict stream, const char *restrict format, ...) { return 0; }
int snprintf(char *restrict buffer, size_t size, const char *restrict format, ...) {
  if (size > 0) buffer[0] = 0;
  return 0;
}


static struct jpeg_decompress_struct cinfo;
static struct jpeg_error_mgr errors;
static const uint8_t *input = NULL;
static size_t input_size = 0;

static void error_exit(j_common_ptr info) { fail(info->err->msg_code); }

static void emit_message(j_common_ptr info, int level) {
  /* Level -1 is a warning (corrupt or truncated data): not decoded here. Higher levels are traces. */
  if (level < 0) fail(info->err->msg_code);
}

/** Starts a decode: resets the arena and returns where the caller writes the file's `size` bytes. */
EXPORT("input")
uint8_t *input_buffer(size_t size) {
  if (arena_start == 0) arena_start = (size_t)&__heap_base;
  arena_top = arena_start;
  input = arena_alloc(size);
  input_size = size;
  return (uint8_t *)input;
}

/**
 * Reads the header of the bytes written to `input` and prepares an RGB
 * decode at full size; returns the image's width (the height: `height`).
 * Fails for anything but 8-bit grey, YCbCr or RGB.
 */
EXPORT("header")
int read_header(void) {
  cinfo.err = jpeg_std_error(&errors);
  errors.error_exit = error_exit;
  errors.emit_message = emit_message;
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, input, input_size);
  jpeg_read_header(&cinfo, TRUE);
  if (cinfo.data_precision != 8) fail(UNSUPPORTED);
  switch (cinfo.jpeg_color_space) {
    case JCS_GRAYSCALE:
    case JCS_YCbCr:
    case JCS_RGB:
      break;
    default:
      fail(UNSUPPORTED);
  }
  cinfo.out_color_space = JCS_RGB;
  return (int)cinfo.image_width;
}

EXPORT("height")
int image_height(void) { return (int)cinfo.image_height; }

/** Decodes the prepared image into RGB rows in the arena; returns where they start (3 bytes per pixel, no padding). */
EXPORT("decode")
uint8_t *decode(void) {
  jpeg_start_decompress(&cinfo);
  if (cinfo.output_components != 3) fail(UNSUPPORTED);
  size_t stride = (size_t)cinfo.output_width * 3;
  uint8_t *out = arena_alloc(stride * cinfo.output_height);
  while (cinfo.output_scanline < cinfo.output_height) {
    JSAMPROW rows[4];
    int count = 0;
    for (; count < 4 && cinfo.output_scanline + count < cinfo.output_height; count++) rows[count] = out + (cinfo.output_scanline + count) * stride;
    jpeg_read_scanlines(&cinfo, rows, count);
  }
  jpeg_finish_decompress(&cinfo);
  return out;
}
