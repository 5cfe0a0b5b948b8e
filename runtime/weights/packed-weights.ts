/**
 * Packed weights: a safetensors file stored losslessly as its difference from
 * another one, the weights the run started from (the study's store,
 * runtime/runner/frozen-store.ts). A completed run's kept model file is
 * packed so that a study keeps a fraction of its trained weights' size.
 *
 * 1. Every float32 tensor that the base holds under the same name with the
 *    same size is XORed with the base's bits. Training moves most values by
 *    a small fraction, so their sign, exponent and leading mantissa bits stay
 *    and the XOR is mostly zero bits.
 * 2. Every float32 tensor's bytes are split into four planes (all first
 *    bytes, then all second bytes, ...), so that those zero bytes run
 *    together instead of alternating with the noisy low mantissa bytes.
 * 3. The whole file, header included, is compressed with brotli (Node's zlib).
 *
 * Unpacking reverses the steps and checks the result against the original's
 * sha256, so a packed file gives back the exact bytes or an error.
 *
 * Layout: the 8 bytes `SWSPACK1`, a u32 little-endian header length, a JSON
 * header (PackedHeader), the brotli stream.
 */
import { promisify } from 'node:util';
import { brotliCompress, brotliDecompress, constants } from 'node:zlib';
import { sha256 } from '../results/checkpoint-store.js';
import { readSafetensorsLayout, SafetensorsError, type SafetensorsLayoutEntry } from './safetensors.js';

const MAGIC = new TextEncoder().encode('SWSPACK1');
const ENCODING = 'xor-base+byte-planes+brotli';
/** Quality 5 with a 16 MB window: measured on ResNet18 checkpoints, 9 compresses no better at six times the time. */
const BROTLI_OPTIONS = { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_LGWIN]: 24 } };
const compress = promisify(brotliCompress);
const decompress = promisify(brotliDecompress);

export interface PackedHeader {
  readonly encoding: typeof ENCODING;
  /** The file the float32 tensors were XORed with: its path relative to the packed file's folder; null when none. */
  readonly base: { readonly path: string; readonly sha256: string } | null;
  /** The safetensors file that unpacking gives back. */
  readonly original: { readonly sha256: string; readonly bytes: number };
}

export class PackedWeightsError extends Error {
  override readonly name = 'PackedWeightsError';
}

export function isPackedWeights(bytes: Uint8Array): boolean {
  return bytes.byteLength >= MAGIC.length && MAGIC.every((byte, i) => bytes[i] === byte);
}

/** A fresh copy (its own buffer, so 4-byte aligned at the start, and the caller's bytes stay untouched). */
function alignedCopy(bytes: Uint8Array): Uint8Array {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy;
}

function segment(bytes: Uint8Array, entry: SafetensorsLayoutEntry): Uint8Array {
  return bytes.subarray(entry.begin, entry.end);
}

/** For each float32 tensor of `file`, the base's bytes of the same name and size, if any. */
function baseSegments(file: Uint8Array, base: Uint8Array | null): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  if (!base) return out;
  const entries = new Map(readSafetensorsLayout(base).entries.map((e) => [e.name, e]));
  for (const entry of readSafetensorsLayout(file).entries) {
    const other = entries.get(entry.name);
    if (entry.dtype === 'F32' && other?.dtype === 'F32' && other.end - other.begin === entry.end - entry.begin) {
      out.set(entry.name, segment(base, other));
    }
  }
  return out;
}

function toPlanes(segment: Uint8Array): void {
  const count = segment.byteLength / 4;
  const planes = new Uint8Array(segment.byteLength);
  for (let i = 0; i < count; i++) {
    planes[i] = segment[4 * i];
    planes[count + i] = segment[4 * i + 1];
    planes[2 * count + i] = segment[4 * i + 2];
    planes[3 * count + i] = segment[4 * i + 3];
  }
  segment.set(planes);
}

function fromPlanes(segment: Uint8Array): void {
  const count = segment.byteLength / 4;
  const planes = segment.slice();
  for (let i = 0; i < count; i++) {
    segment[4 * i] = planes[i];
    segment[4 * i + 1] = planes[count + i];
    segment[4 * i + 2] = planes[2 * count + i];
    segment[4 * i + 3] = planes[3 * count + i];
  }
}

function xorInto(target: Uint8Array, other: Uint8Array): void {
  // Word by word where both are 4-byte aligned (safetensors pads its header to 8 bytes, so float32 data usually is).
  if ((target.byteOffset | other.byteOffset) % 4 === 0) {
    const a = new Uint32Array(target.buffer, target.byteOffset, target.byteLength / 4);
    const b = new Uint32Array(other.buffer, other.byteOffset, other.byteLength / 4);
    for (let i = 0; i < a.length; i++) a[i] ^= b[i];
    return;
  }
  for (let i = 0; i < target.byteLength; i++) target[i] ^= other[i];
}

export interface PackBase {
  readonly bytes: Uint8Array;
  /** Relative to the folder the packed file will be in. */
  readonly path: string;
}

/** Packs a safetensors file (its float32 tensors XORed with `base`'s where names and sizes match). */
export async function packWeights(original: Uint8Array, base: PackBase | null): Promise<Uint8Array> {
  const work = alignedCopy(original);
  const baseBytes = base?.bytes ?? null; // only read: no copy (xorInto handles any alignment)
  const bases = baseSegments(work, baseBytes);
  for (const entry of readSafetensorsLayout(work).entries) {
    if (entry.dtype !== 'F32') continue;
    const other = bases.get(entry.name);
    if (other) xorInto(segment(work, entry), other);
    toPlanes(segment(work, entry));
  }
  const header: PackedHeader = {
    encoding: ENCODING,
    base: base && baseBytes ? { path: base.path, sha256: sha256(baseBytes) } : null,
    original: { sha256: sha256(original), bytes: original.byteLength },
  };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const body = await compress(work, { ...BROTLI_OPTIONS, params: { ...BROTLI_OPTIONS.params, [constants.BROTLI_PARAM_SIZE_HINT]: work.byteLength } });
  const out = new Uint8Array(MAGIC.length + 4 + headerBytes.byteLength + body.byteLength);
  out.set(MAGIC, 0);
  new DataView(out.buffer).setUint32(MAGIC.length, headerBytes.byteLength, true);
  out.set(headerBytes, MAGIC.length + 4);
  out.set(body, MAGIC.length + 4 + headerBytes.byteLength);
  return out;
}

export function readPackedHeader(packed: Uint8Array): PackedHeader {
  if (!isPackedWeights(packed)) throw new PackedWeightsError('not a packed weights file (no SWSPACK1 signature)');
  const length = new DataView(packed.buffer, packed.byteOffset, packed.byteLength).getUint32(MAGIC.length, true);
  if (MAGIC.length + 4 + length > packed.byteLength) throw new PackedWeightsError(`header length ${length} exceeds the file size`);
  let header: PackedHeader;
  try {
    header = JSON.parse(new TextDecoder().decode(packed.subarray(MAGIC.length + 4, MAGIC.length + 4 + length))) as PackedHeader;
  } catch (error) {
    throw new PackedWeightsError(`header is not JSON: ${(error as Error).message}`);
  }
  if (header?.encoding !== ENCODING) throw new PackedWeightsError(`unknown encoding ${JSON.stringify(header?.encoding)} (this sweepspec reads ${ENCODING})`);
  return header;
}

/**
 * The original safetensors bytes. `readBase` gets the header's base path; its
 * bytes must match the recorded sha256, and so must the result.
 */
export async function unpackWeights(packed: Uint8Array, readBase: (path: string) => Promise<Uint8Array>): Promise<Uint8Array> {
  const header = readPackedHeader(packed);
  const start = MAGIC.length + 4 + new DataView(packed.buffer, packed.byteOffset, packed.byteLength).getUint32(MAGIC.length, true);
  let work: Uint8Array;
  try {
    work = alignedCopy(await decompress(packed.subarray(start)));
  } catch (error) {
    throw new PackedWeightsError(`the compressed data is damaged: ${(error as Error).message}`);
  }
  let baseBytes: Uint8Array | null = null;
  if (header.base) {
    baseBytes = await readBase(header.base.path);
    if (sha256(baseBytes) !== header.base.sha256) {
      throw new PackedWeightsError(`the base weights ${header.base.path} do not match the sha256 the packed file was made against: the file was changed or damaged`);
    }
  }
  let entries: readonly SafetensorsLayoutEntry[];
  try {
    entries = readSafetensorsLayout(work).entries;
  } catch (error) {
    if (error instanceof SafetensorsError) throw new PackedWeightsError(`the packed file is damaged: ${error.message}`);
    throw error;
  }
  for (const entry of entries) if (entry.dtype === 'F32') fromPlanes(segment(work, entry));
  const bases = baseSegments(work, baseBytes);
  for (const entry of entries) {
    const other = bases.get(entry.name);
    if (other) xorInto(segment(work, entry), other);
  }
  if (work.byteLength !== header.original.bytes || sha256(work) !== header.original.sha256) {
    throw new PackedWeightsError('unpacking did not give back the original file (its sha256 differs): the packed file is damaged');
  }
  return work;
}
