/** Decoded 8-bit RGB pixels, the currency of every transform (its own module so transforms need not import the decoder). */
export interface Pixels {
  readonly width: number;
  readonly height: number;
  /** RGB, row-major HWC, uint8 (may live in a SharedArrayBuffer when a data worker made it). */
  readonly data: Uint8Array;
}

/** A rectangle in pixels. */
export interface Box {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}
