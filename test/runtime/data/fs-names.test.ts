import { describe, expect, test } from 'vitest';
import { decodeFsName, encodeFsName } from '../../../runtime/data/fs-names.js';
import { pythonRound } from '../../../runtime/data/python-round.js';

describe('file names as strings', () => {
  test.each([
    ['ascii', Buffer.from('cat.png')],
    ['UTF-8 with an astral character', Buffer.from('chat-\u00e9t\u00e9-\u{1f408}.png')],
    ['Latin-1 byte', Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x2e, 0x70, 0x6e, 0x67])],
    ['truncated UTF-8 sequence', Buffer.from([0x61, 0xe2, 0x82])],
    ['overlong encoding', Buffer.from([0xc0, 0xaf])],
  ])('%s round-trips', (_name, bytes) => {
    expect(encodeFsName(decodeFsName(bytes))).toEqual(bytes);
  });

  test("invalid bytes read as Python's surrogateescape", () => {
    expect(decodeFsName(Buffer.from([0x63, 0xe9]))).toBe('c\udce9');
    expect(JSON.parse(JSON.stringify(decodeFsName(Buffer.from([0xff]))))).toBe('\udcff');
  });
});

describe('pythonRound', () => {
  test.each([
    [0.5, 0],
    [1.5, 2],
    [2.5, 2],
    [-0.5, 0],
    [2.4999, 2],
    [2.5001, 3],
    [-1.5, -2],
  ])('round(%f) = %i', (value, expected) => {
    expect(pythonRound(value)).toBe(expected);
  });
});
