/**
 * The safetensors container for checkpoint files (F32 and I32 only): an
 * 8-byte little-endian header length, a JSON header naming each tensor's
 * dtype, shape and byte range, then the raw little-endian data.
 * NOTE: runtime/weights owns the general reader (F16, BF16, torchvision key
 * checks) for pretrained files; this codec only round-trips what checkpoints hold.
 */
export interface RawTensor {
  readonly dtype: 'F32' | 'I32';
  readonly shape: readonly number[];
  readonly data: Float32Array | Int32Array;
}

export function encodeSafetensors(tensors: ReadonlyMap<string, RawTensor>, metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = Object.keys(metadata).length > 0 ? { __metadata__: metadata } : {};
  let offset = 0;
  for (const [name, tensor] of tensors) {
    header[name] = { dtype: tensor.dtype, shape: tensor.shape, data_offsets: [offset, offset + tensor.data.byteLength] };
    offset += tensor.data.byteLength;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((json.length + 8) % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const tensor of tensors.values()) {
    out.set(new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength), at);
    at += tensor.data.byteLength;
  }
  return out;
}

export function decodeSafetensors(bytes: Uint8Array): Map<string, RawTensor> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength))) as Record<
    string,
    { dtype: string; shape: number[]; data_offsets: [number, number] }
  >;
  const base = 8 + headerLength;
  const tensors = new Map<string, RawTensor>();
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const [begin, end] = entry.data_offsets;
    const copy = new Uint8Array(end - begin); // a copy: Buffer#slice would share the pooled buffer
    copy.set(bytes.subarray(base + begin, base + end));
    if (entry.dtype === 'F32') tensors.set(name, { dtype: 'F32', shape: entry.shape, data: new Float32Array(copy.buffer) });
    else if (entry.dtype === 'I32') tensors.set(name, { dtype: 'I32', shape: entry.shape, data: new Int32Array(copy.buffer) });
    else throw new Error(`checkpoint tensor ${name} has dtype ${entry.dtype}; checkpoints hold F32 and I32 only`);
  }
  return tensors;
}
