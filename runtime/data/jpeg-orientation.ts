/**
 * The EXIF orientation of a JPEG, read from its header without decoding:
 * 1-8, 1 when the file has no orientation tag, or null when it is not a JPEG
 * or its markers cannot be followed (the caller then lets libvips decide).
 * Decoding skips libvips' auto-rotation, a copy of the whole image that cost
 * about 0.6 ms of a 3-4 ms 640 x 480 decode, for the JPEGs that need none.
 */
export function jpegOrientation(bytes: Uint8Array): number | null {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return null;
    const marker = bytes[at + 1];
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    if (marker === 0xda || marker === 0xd9) return 1; // image data (or the end) before any Exif orientation
    const length = view.getUint16(at + 2);
    if (length < 2 || at + 2 + length > bytes.length) return null;
    if (marker === 0xe1 && length >= 16 && isExifHeader(bytes, at + 4)) {
      const orientation = exifOrientation(view, at + 10, at + 2 + length);
      if (orientation !== 1) return orientation;
    }
    at += 2 + length;
  }
  return null;
}

function isExifHeader(bytes: Uint8Array, at: number): boolean {
  return bytes[at] === 0x45 && bytes[at + 1] === 0x78 && bytes[at + 2] === 0x69 && bytes[at + 3] === 0x66 && bytes[at + 4] === 0 && bytes[at + 5] === 0;
}

/** Tag 0x0112 of IFD0 in the TIFF structure at [start, end): its value, 1 when absent, null when unreadable. */
function exifOrientation(view: DataView, start: number, end: number): number | null {
  if (start + 8 > end) return null;
  const order = view.getUint16(start);
  if (order !== 0x4949 && order !== 0x4d4d) return null;
  const little = order === 0x4949;
  if (view.getUint16(start + 2, little) !== 42) return null;
  const ifd = start + view.getUint32(start + 4, little);
  if (ifd + 2 > end) return null;
  const count = view.getUint16(ifd, little);
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + 12 * i;
    if (entry + 12 > end) return null;
    if (view.getUint16(entry, little) !== 0x0112) continue;
    const type = view.getUint16(entry + 2, little);
    const value = type === 3 ? view.getUint16(entry + 8, little) : type === 4 ? view.getUint32(entry + 8, little) : null;
    return value !== null && value >= 1 && value <= 8 ? value : null;
  }
  return 1;
}
