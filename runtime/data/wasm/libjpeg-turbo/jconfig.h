/* Written for sweepspec's WebAssembly build (tools/build-jpeg-decoder-wasm.sh), in place of the
 * file CMake generates from jconfig.h.in: the settings of Debian's libjpeg62-turbo 2.1.5, which
 * Debian's Pillow (torchvision's decoder) links, without SIMD (WebAssembly has none of its kernels). */
#define JPEG_LIB_VERSION  62
#define LIBJPEG_TURBO_VERSION  2.1.5.1
#define LIBJPEG_TURBO_VERSION_NUMBER  2001005
#define D_ARITH_CODING_SUPPORTED 1
#define MEM_SRCDST_SUPPORTED 1
#define BITS_IN_JSAMPLE  8
