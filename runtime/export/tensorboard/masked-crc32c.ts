import { crc32c } from '@aws-crypto/crc32c';

/**
 * TFRecord's checksum: CRC-32C (Castagnoli) of the bytes, then "masked" so
 * that a CRC stored inside CRC'd data does not weaken the check (TensorFlow's
 * lib/hash/crc32c.h: rotate right by 15 bits and add 0xa282ead8, mod 2^32).
 */
const MASK_DELTA = 0xa282ead8;

export function maskedCrc32c(bytes: Uint8Array): number {
  const crc = crc32c(bytes);
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + MASK_DELTA) >>> 0;
}

export function unmaskCrc32c(masked: number): number {
  const rotated = (masked - MASK_DELTA) >>> 0;
  return ((rotated >>> 17) | (rotated << 15)) >>> 0;
}
