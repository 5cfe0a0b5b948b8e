import { readFileSync } from 'node:fs';
import type { Pixels } from './pixels.js';

/**
 * libjpeg-turbo 2.1.5.1, the decoder Debian's Pillow links, compiled to
 * WebAssembly with SIMD kernels for its inverse DCT and colour conversion
 * (wasm/jpeg-decoder.c, wasm/jpeg-simd.c, built by
 * tools/build-jpeg-decoder-wasm.sh and committed): the same pixels
 * torchvision's loader gives, decoded synchronously on the calling thread. sharp decodes the same bytes in about
 * 1.5x the CPU time, most of it spent handing each image between the calling
 * thread, libuv's pool and libvips' own threads and collecting its output
 * buffers; here a data worker is one thread doing one image at a time, so N
 * workers use N cores.
 *
 * Only plain 8-bit JPEGs (grey, YCbCr, RGB) with no EXIF rotation are
 * decoded here; for anything else, and for any file libjpeg warns about
 * (truncated or damaged data) or cannot decode, `decodeJpegView` returns null
 * and the caller uses sharp as before, which decodes the file or says why it
 * cannot. One instance per thread; its memory grows to the largest image
 * decoded, and an instance that grew past RETAINED_BYTES is let go after
 * that image, so a single huge photo does not pin its memory in every worker.
 */
interface Exports {
  readonly memory: WebAssembly.Memory;
  readonly input: (size: number) => number;
  readonly header: () => number;
  readonly height: () => number;
  readonly decode: () => number;
}

const RETAINED_BYTES = 64 * 2 ** 20;

class DecodeFailed extends Error {
  constructor(readonly code: number) {
    super(`libjpeg stopped with message code ${code}`);
  }
}

/**
 * One decoder module (a build of wasm/jpeg-decoder.c) and this thread's
 * instance of it. The runtime uses DEFAULT_DECODER; tests also load the
 * C-only build to hold the SIMD kernels to libjpeg-turbo's C code.
 */
export class JpegDecoder {
  private compiled: WebAssembly.Module | null | undefined;
  private instance: Exports | null = null;

  constructor(private readonly wasm: URL) {}

  /** See decodeJpegView. */
  decode(bytes: Uint8Array, maxPixels: number): Pixels | null {
    if (!looksLikeJpeg(bytes)) return null;
    this.instance ??= this.instantiate();
    const decoder = this.instance;
    if (!decoder) return null;
    try {
      const inputAt = decoder.input(bytes.length); // may grow the memory: its buffer is read after
      new Uint8Array(decoder.memory.buffer, inputAt, bytes.length).set(bytes);
      const width = decoder.header();
      const height = decoder.height();
      if (width * height > maxPixels) return null;
      const at = decoder.decode();
      const memory = decoder.memory.buffer;
      // The view keeps this memory alive as long as the caller needs it; the instance need not.
      if (memory.byteLength > RETAINED_BYTES) this.instance = null;
      return { width, height, data: new Uint8Array(memory, at, width * height * 3) };
    } catch (error) {
      // A decode that threw left the instance's stack pointer where it stopped: start afresh.
      this.instance = null;
      if (error instanceof DecodeFailed || error instanceof WebAssembly.RuntimeError) return null;
      throw error;
    }
  }

  private instantiate(): Exports | null {
    if (this.compiled === undefined) {
      try {
        this.compiled = new WebAssembly.Module(readFileSync(this.wasm));
      } catch {
        this.compiled = null; // no WebAssembly SIMD here: sharp decodes everything
      }
    }
    if (!this.compiled) return null;
    const fail = (code: number): never => {
      throw new DecodeFailed(code);
    };
    return new WebAssembly.Instance(this.compiled, { env: { fail }, wasi_snapshot_preview1: { proc_exit: fail } }).exports as unknown as Exports;
  }
}

const DEFAULT_DECODER = new JpegDecoder(new URL('./wasm/jpeg-decoder.wasm', import.meta.url));

/** Whether `bytes` start like a JPEG (SOI, then a marker). */
export function looksLikeJpeg(bytes: Uint8Array): boolean {
  return bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

/**
 * The RGB pixels of a plain JPEG no larger than `maxPixels`, as a view of this
 * thread's decoder memory that the next call overwrites (copy what must
 * outlive it); null when the file is for sharp to decode (see above). The
 * caller checks the EXIF orientation: only upright files belong here.
 */
export function decodeJpegView(bytes: Uint8Array, maxPixels: number): Pixels | null {
  return DEFAULT_DECODER.decode(bytes, maxPixels);
}
