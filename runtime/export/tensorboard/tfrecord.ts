import { maskedCrc32c } from './masked-crc32c.js';

/**
 * TFRecord framing, the container of TensorBoard event files:
 *   uint64 length (little-endian), uint32 masked CRC32C of those 8 bytes,
 *   the payload, uint32 masked CRC32C of the payload.
 */
export function frameRecord(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + payload.length + 4);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(payload.length), true);
  view.setUint32(8, maskedCrc32c(out.subarray(0, 8)), true);
  out.set(payload, 12);
  view.setUint32(12 + payload.length, maskedCrc32c(payload), true);
  return out;
}

export interface RecordProblem {
  readonly code: 'TFRECORD_TRUNCATED' | 'TFRECORD_BAD_CRC';
  readonly offset: number;
  readonly message: string;
}

/**
 * Splits a TFRecord stream back into payloads, checking both CRCs. A record
 * cut short at the end (a writer that died mid-append) or a CRC mismatch
 * stops the reading: the payloads before it and the problem are returned.
 */
export function readRecords(bytes: Uint8Array): { records: Uint8Array[]; problem?: RecordProblem } {
  const records: Uint8Array[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  while (offset < bytes.length) {
    if (bytes.length - offset < 12) return { records, problem: truncated(offset) };
    const length = Number(view.getBigUint64(offset, true));
    if (view.getUint32(offset + 8, true) !== maskedCrc32c(bytes.subarray(offset, offset + 8))) {
      return { records, problem: { code: 'TFRECORD_BAD_CRC', offset, message: `record at byte ${offset}: the length's CRC does not match` } };
    }
    const end = offset + 12 + length + 4;
    if (end > bytes.length) return { records, problem: truncated(offset) };
    const payload = bytes.subarray(offset + 12, offset + 12 + length);
    if (view.getUint32(offset + 12 + length, true) !== maskedCrc32c(payload)) {
      return { records, problem: { code: 'TFRECORD_BAD_CRC', offset, message: `record at byte ${offset}: the payload's CRC does not match` } };
    }
    records.push(payload);
    offset = end;
  }
  return { records };
}

function truncated(offset: number): RecordProblem {
  return { code: 'TFRECORD_TRUNCATED', offset, message: `record at byte ${offset} is cut short` };
}
