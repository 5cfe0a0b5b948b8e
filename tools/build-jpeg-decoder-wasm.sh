#!/bin/sh
# Rebuilds runtime/data/wasm/jpeg-decoder.wasm from jpeg-decoder.c and the
# libjpeg-turbo 2.1.5.1 decoder sources beside it (committed, so neither CI nor
# users need a compiler). Needs clang, lld, WASI's libc and clang's WebAssembly
# runtime (Debian: apt-get install clang lld wasi-libc libclang-rt-dev-wasm32).
# Only headers and a few string functions come from the libc: memory is
# jpeg-decoder.c's own arena, and the module imports nothing but `env.fail` and
# WASI's proc_exit, which libjpeg's default error handler would call (it is
# replaced; jpeg-decoder.ts makes both throw). The check below keeps it so.
set -eu
cd "$(dirname "$0")/../runtime/data/wasm"
LIBJPEG="jaricom jcomapi jdapimin jdapistd jdarith jdatasrc jdcoefct jdcolor jddctmgr jdhuff jdinput jdmainct
  jdmarker jdmaster jdmerge jdphuff jdpostct jdsample jerror jidctflt jidctfst jidctint jidctred jmemmgr jquant1
  jquant2 jutils"
# jpeg-simd.c is libjpeg-turbo's jsimd_none.c with two SIMD kernels in place of its stubs.
SOURCES="jpeg-decoder.c jpeg-simd.c"
for name in $LIBJPEG; do SOURCES="$SOURCES libjpeg-turbo/$name.c"; done

build() { # output, extra flags
  out=$1
  shift
  # shellcheck disable=SC2086
  clang --target=wasm32-wasi --sysroot=/usr -isystem /usr/include/wasm32-wasi -O2 -msimd128 -DNO_GETENV -DNO_PUTENV "$@" \
    -Wno-unused-parameter -Wno-shift-negative-value \
    -nostartfiles -Wl,--no-entry -Wl,--strip-all -Wl,--export=__heap_base -Wl,-z,stack-size=262144 \
    -o "$out" $SOURCES
  node -e '
    const m = new WebAssembly.Module(require("fs").readFileSync(process.argv[1]));
    const imports = WebAssembly.Module.imports(m).map((i) => i.module + "." + i.name);
    if (imports.join() !== "env.fail,wasi_snapshot_preview1.proc_exit") { console.error("unexpected imports: " + imports.join(", ")); process.exit(1); }' "$out"
  ls -l "$out"
}
build jpeg-decoder.wasm
# The same decoder with libjpeg-turbo's C code in place of the SIMD kernels: the test's reference.
build ../../../test/runtime/data/fixtures/jpeg-decoder-c-only.wasm -DSWEEPSPEC_C_ONLY
