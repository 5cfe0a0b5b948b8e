/**
 * File names are bytes on POSIX; ImageSample.file is a string. Names that are
 * not valid UTF-8 are kept with Python's `surrogateescape` mapping (each bad
 * byte becomes the lone surrogate U+DC80 + byte), so every name round-trips,
 * survives JSON, and reads the same as `os.fsdecode` does in Python.
 */
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

export function decodeFsName(bytes: Buffer): string {
  try {
    return STRICT_UTF8.decode(bytes);
  } catch {
    return decodeWithEscapes(bytes);
  }
}

function decodeWithEscapes(bytes: Buffer): string {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const length = utf8SequenceLength(bytes, i);
    if (length > 0) {
      out += STRICT_UTF8.decode(bytes.subarray(i, i + length));
      i += length;
    } else {
      out += String.fromCharCode(0xdc00 + bytes[i]);
      i += 1;
    }
  }
  return out;
}

/** Length of the valid UTF-8 sequence starting at `i`, or 0 when the byte there starts none. */
function utf8SequenceLength(bytes: Buffer, i: number): number {
  const b0 = bytes[i];
  if (b0 < 0x80) return 1;
  const length = b0 >= 0xc2 && b0 <= 0xdf ? 2 : b0 >= 0xe0 && b0 <= 0xef ? 3 : b0 >= 0xf0 && b0 <= 0xf4 ? 4 : 0;
  if (length === 0 || i + length > bytes.length) return 0;
  try {
    STRICT_UTF8.decode(bytes.subarray(i, i + length));
    return length;
  } catch {
    return 0;
  }
}

/** The bytes of a name or path written by `decodeFsName`. */
export function encodeFsName(name: string): Buffer {
  const parts: Buffer[] = [];
  let run = '';
  for (let i = 0; i < name.length; i++) {
    const unit = name.charCodeAt(i);
    if (unit >= 0xdc80 && unit <= 0xdcff) {
      if (run) parts.push(Buffer.from(run, 'utf8'));
      run = '';
      parts.push(Buffer.from([unit - 0xdc00]));
    } else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < name.length) {
      run += name.slice(i, i + 2);
      i += 1;
    } else {
      run += name[i];
    }
  }
  if (run) parts.push(Buffer.from(run, 'utf8'));
  return Buffer.concat(parts);
}

/** An absolute path (as bytes) of a POSIX path relative to `root`. */
export function resolveUnder(root: string, relative: string): Buffer {
  return Buffer.concat([encodeFsName(root), Buffer.from('/'), encodeFsName(relative)]);
}
