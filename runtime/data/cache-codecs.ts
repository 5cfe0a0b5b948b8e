import type { CacheCodec } from './tiered-cache.js';

/** Decoded RGB pixels and the oriented size of the original they came from. */
export interface CachedImage {
  readonly width: number;
  readonly height: number;
  readonly sourceWidth: number;
  readonly sourceHeight: number;
  readonly data: Uint8Array;
}

/** One image's frozen-prefix output (NHWC without the batch axis). */
export interface CachedFeature {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

const IMAGE_HEADER_BYTES = 16;

/** The size of an image's disk entry (IMAGE_CODEC.encode's length). */
export function encodedImageBytes(value: CachedImage): number {
  return IMAGE_HEADER_BYTES + value.data.length;
}

export const IMAGE_CODEC: CacheCodec<CachedImage> = {
  byteLength: (value) => value.data.length + 64,
  // Held images go to the data workers for augmentation every epoch: in shared memory that copies nothing.
  // Only held ones: V8 reclaims dead shared buffers much later than ordinary ones, so short-lived
  // images (the ones memory does not keep) stay ordinary.
  hold(value) {
    if (value.data.buffer instanceof SharedArrayBuffer) return value;
    const data = new Uint8Array(new SharedArrayBuffer(value.data.length));
    data.set(value.data);
    return { ...value, data };
  },
  encode(value) {
    return Buffer.concat(IMAGE_CODEC.encodeParts!(value));
  },
  encodeParts(value) {
    const header = Buffer.alloc(IMAGE_HEADER_BYTES);
    [value.width, value.height, value.sourceWidth, value.sourceHeight].forEach((v, i) => header.writeUInt32LE(v, i * 4));
    return [header, value.data];
  },
  decode(bytes) {
    const [width, height, sourceWidth, sourceHeight] = [0, 1, 2, 3].map((i) => bytes.readUInt32LE(i * 4));
    if (bytes.length !== IMAGE_HEADER_BYTES + width * height * 3) throw new Error('truncated image cache entry');
    return { width, height, sourceWidth, sourceHeight, data: new Uint8Array(bytes.subarray(IMAGE_HEADER_BYTES)) };
  },
};

export const FEATURE_CODEC: CacheCodec<CachedFeature> = {
  byteLength: (value) => value.data.byteLength + 64,
  encode(value) {
    const header = Buffer.alloc(4 + 4 * value.shape.length);
    header.writeUInt32LE(value.shape.length, 0);
    value.shape.forEach((dim, i) => header.writeUInt32LE(dim, 4 + 4 * i));
    return Buffer.concat([header, Buffer.from(value.data.buffer, value.data.byteOffset, value.data.byteLength)]);
  },
  decode(bytes) {
    const rank = bytes.readUInt32LE(0);
    const shape = Array.from({ length: rank }, (_, i) => bytes.readUInt32LE(4 + 4 * i));
    const body = bytes.subarray(4 + 4 * rank);
    const size = shape.reduce((a, b) => a * b, 1);
    if (body.length !== size * 4) throw new Error('truncated feature cache entry');
    const data = new Float32Array(size);
    new Uint8Array(data.buffer).set(body);
    return { shape, data };
  },
};
