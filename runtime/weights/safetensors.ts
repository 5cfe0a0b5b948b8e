/**
 * The safetensors format (https://huggingface.co/docs/safetensors): an 8-byte
 * little-endian header length, a JSON header {name: {dtype, shape,
 * data_offsets}} (plus optional __metadata__), then the raw little-endian
 * data. Reading converts F32, F16 and BF16 to float32 (I64/I32 integers, as
 * num_batches_tracked, are read as float32 values too); writing emits F32,
 * and I64 for integer buffers PyTorch expects.
 */
export type SafetensorsDtype = 'F32' | 'F16' | 'BF16' | 'I64' | 'I32';

export interface SafetensorsEntry {
  readonly dtype: SafetensorsDtype;
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

export interface SafetensorsFile {
  readonly tensors: ReadonlyMap<string, SafetensorsEntry>;
  readonly metadata: Readonly<Record<string, string>>;
}

export class SafetensorsError extends Error {
  override readonly name = 'SafetensorsError';
}

/** Where a tensor's bytes lie in a safetensors file, without converting them. */
export interface SafetensorsLayoutEntry {
  readonly name: string;
  readonly dtype: SafetensorsDtype;
  readonly shape: readonly number[];
  /** Byte offsets from the start of the file. */
  readonly begin: number;
  readonly end: number;
}

export interface SafetensorsLayout {
  readonly entries: readonly SafetensorsLayoutEntry[];
  readonly metadata: Readonly<Record<string, string>>;
}

/** Parses and checks the header: every tensor's dtype, shape and byte range. */
export function readSafetensorsLayout(bytes: Uint8Array): SafetensorsLayout {
  if (bytes.byteLength < 8) throw new SafetensorsError('file is shorter than the 8-byte header length');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > bytes.byteLength - 8) throw new SafetensorsError(`header length ${headerLength} exceeds the file size`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength))) as Record<string, unknown>;
  } catch (error) {
    throw new SafetensorsError(`header is not JSON: ${(error as Error).message}`);
  }
  const base = 8 + headerLength;
  const entries: SafetensorsLayoutEntry[] = [];
  let metadata: Record<string, string> = {};
  for (const [name, raw] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = raw as Record<string, string>;
      continue;
    }
    const entry = raw as { dtype: string; shape: number[]; data_offsets: [number, number] };
    const [begin, end] = entry.data_offsets ?? [];
    const count = entry.shape.reduce((a, b) => a * b, 1);
    const width = BYTES[entry.dtype as SafetensorsDtype];
    if (width === undefined) throw new SafetensorsError(`tensor ${name} has unsupported dtype ${entry.dtype} (F32, F16, BF16, I64, I32 are read)`);
    if (!(begin >= 0 && end === begin + count * width && base + end <= bytes.byteLength)) {
      throw new SafetensorsError(`tensor ${name}: data_offsets [${begin}, ${end}] do not fit shape [${entry.shape.join(', ')}] ${entry.dtype} in the file`);
    }
    entries.push({ name, dtype: entry.dtype as SafetensorsDtype, shape: entry.shape, begin: base + begin, end: base + end });
  }
  return { entries, metadata };
}

export function decodeSafetensors(bytes: Uint8Array): SafetensorsFile {
  const { entries, metadata } = readSafetensorsLayout(bytes);
  const tensors = new Map<string, SafetensorsEntry>();
  for (const { name, dtype, shape, begin, end } of entries) {
    const data = new DataView(bytes.buffer, bytes.byteOffset + begin, end - begin);
    tensors.set(name, { dtype, shape, values: toFloat32(data, dtype, shape.reduce((a, b) => a * b, 1)) });
  }
  return { tensors, metadata };
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const BYTES: Readonly<Record<SafetensorsDtype, number>> = { F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4 };

function toFloat32(data: DataView, dtype: SafetensorsDtype, count: number): Float32Array {
  if (dtype === 'F32' && LITTLE_ENDIAN) {
    return new Float32Array(data.buffer.slice(data.byteOffset, data.byteOffset + count * 4));
  }
  const out = new Float32Array(count);
  const u32 = new Uint32Array(1);
  const f32 = new Float32Array(u32.buffer);
  for (let i = 0; i < count; i++) {
    switch (dtype) {
      case 'F32':
        out[i] = data.getFloat32(i * 4, true);
        break;
      case 'F16':
        out[i] = halfToFloat(data.getUint16(i * 2, true));
        break;
      case 'BF16':
        u32[0] = data.getUint16(i * 2, true) << 16;
        out[i] = f32[0];
        break;
      case 'I64':
        out[i] = Number(data.getBigInt64(i * 8, true));
        break;
      case 'I32':
        out[i] = data.getInt32(i * 4, true);
        break;
    }
  }
  return out;
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? Number.NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

export interface TensorToWrite {
  readonly dtype: 'F32' | 'I64';
  readonly shape: readonly number[];
  readonly values: Float32Array | BigInt64Array;
}

export function encodeSafetensors(tensors: ReadonlyMap<string, TensorToWrite>, metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = Object.keys(metadata).length > 0 ? { __metadata__: metadata } : {};
  let offset = 0;
  for (const [name, tensor] of tensors) {
    header[name] = { dtype: tensor.dtype, shape: tensor.shape, data_offsets: [offset, offset + tensor.values.byteLength] };
    offset += tensor.values.byteLength;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const tensor of tensors.values()) {
    const view = new DataView(out.buffer, at, tensor.values.byteLength);
    if (tensor.values instanceof Float32Array && LITTLE_ENDIAN) {
      out.set(new Uint8Array(tensor.values.buffer, tensor.values.byteOffset, tensor.values.byteLength), at);
    } else if (tensor.values instanceof Float32Array) tensor.values.forEach((v, i) => view.setFloat32(i * 4, v, true));
    else tensor.values.forEach((v, i) => view.setBigInt64(i * 8, v, true));
    at += tensor.values.byteLength;
  }
  return out;
}
