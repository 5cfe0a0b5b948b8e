import { crc32c } from '@aws-crypto/crc32c';
import { describe, expect, it } from 'vitest';
import { maskedCrc32c, unmaskCrc32c } from '../../../../runtime/export/tensorboard/masked-crc32c.js';
import { decodeMessage, encodeMessage, EventMessage } from '../../../../runtime/export/tensorboard/protos.js';
import { frameRecord, readRecords } from '../../../../runtime/export/tensorboard/tfrecord.js';

const bytes = (hex: string) => Uint8Array.from(Buffer.from(hex, 'hex'));
const hex = (data: Uint8Array) => Buffer.from(data).toString('hex');
const ascii = (text: string) => new TextEncoder().encode(text);

describe('CRC32C and its TFRecord mask', () => {
  it('matches the RFC 3720 (iSCSI) test vectors and the check value', () => {
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i))).toBe(0x46dd794e);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => 31 - i))).toBe(0x113fdb5c);
    expect(crc32c(ascii('123456789'))).toBe(0xe3069283);
  });

  it('masks as TensorFlow does (values from tensorboard.compat.tensorflow_stub.pywrap_tensorflow.masked_crc32c)', () => {
    expect(maskedCrc32c(new Uint8Array(0))).toBe(0xa282ead8);
    expect(maskedCrc32c(ascii('123456789'))).toBe(0xc78ab0e5);
    expect(maskedCrc32c(new Uint8Array(32))).toBe(0x0fd7fffa);
    expect(unmaskCrc32c(maskedCrc32c(ascii('123456789')))).toBe(0xe3069283);
  });
});

describe('TFRecord framing', () => {
  // TensorBoard's RecordWriter (tensorboard.summary.writer.record_writer) writes exactly these bytes for this Event.
  const header = '09000000000000f83f1a0d627261696e2e4576656e743a32';
  const framed = '1800000000000000a37f4b22' + header + '2a28646c';

  it('encodes the file-version Event and frames it byte for byte as TensorBoard does', () => {
    const payload = encodeMessage(EventMessage, { wall_time: 1.5, file_version: 'brain.Event:2' });
    expect(hex(payload)).toBe(header);
    expect(hex(frameRecord(payload))).toBe(framed);
    expect(decodeMessage(EventMessage, payload)).toMatchObject({ wall_time: 1.5, file_version: 'brain.Event:2' });
  });

  it('reads records back and stops at a cut-short or corrupted one', () => {
    const second = frameRecord(ascii('second'));
    const stream = new Uint8Array([...bytes(framed), ...second]);
    expect(readRecords(stream).records.map(hex)).toEqual([header, hex(ascii('second'))]);
    expect(readRecords(stream).problem).toBeUndefined();

    const cut = readRecords(stream.subarray(0, stream.length - 3));
    expect(cut.records.map(hex)).toEqual([header]);
    expect(cut.problem).toMatchObject({ code: 'TFRECORD_TRUNCATED', offset: framed.length / 2 });

    const flipped = stream.slice();
    flipped[framed.length / 2 + 14] ^= 0x01; // a payload byte of the second record
    expect(readRecords(flipped).problem).toMatchObject({ code: 'TFRECORD_BAD_CRC', offset: framed.length / 2 });
    const badLength = stream.slice();
    badLength[0] ^= 0x01;
    expect(readRecords(badLength)).toMatchObject({ records: [], problem: { code: 'TFRECORD_BAD_CRC', offset: 0 } });
  });
});
