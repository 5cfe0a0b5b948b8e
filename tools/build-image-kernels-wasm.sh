#!/bin/sh
# Rebuilds runtime/data/wasm/image-kernels.wasm from image-kernels.c (committed, so
# neither CI nor users need a compiler). Needs clang and lld with the wasm32
# target (Debian: apt-get install clang lld).
set -eu
cd "$(dirname "$0")/../runtime/data/wasm"
clang --target=wasm32 -O3 -msimd128 -nostdlib -ffreestanding \
  -Wl,--no-entry -Wl,--import-memory -Wl,--strip-all -Wl,--export=__heap_base \
  -o image-kernels.wasm image-kernels.c
ls -l image-kernels.wasm
