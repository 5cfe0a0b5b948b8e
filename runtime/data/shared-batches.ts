/**
 * Batch buffers in shared memory, which the data workers fill in place
 * (image-loader.ts, loadNormalized): no per-image floats to send back, copy
 * or collect. The tensor is made from a copy (tfjs backends may keep the
 * array they are given, and not every one takes shared memory), after which
 * the buffer is reused; at most `keep` idle buffers are retained.
 */
export class SharedBatchBuffers {
  private readonly idle: Float32Array[] = [];

  constructor(private readonly keep: number) {}

  /** A buffer of `length` floats (its old contents, if reused: every float is overwritten by the batch). */
  take(length: number): Float32Array {
    const at = this.idle.findIndex((buffer) => buffer.length === length);
    if (at >= 0) return this.idle.splice(at, 1)[0];
    return new Float32Array(new SharedArrayBuffer(length * Float32Array.BYTES_PER_ELEMENT));
  }

  /** Gives back a buffer nothing reads or writes any more. */
  release(buffer: Float32Array): void {
    if (this.idle.length < this.keep) this.idle.push(buffer);
  }
}
