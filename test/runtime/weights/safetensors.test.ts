import { describe, expect, it } from 'vitest';
import { decodeSafetensors, encodeSafetensors, SafetensorsError } from '../../../runtime/weights/safetensors.js';
import { fromTorchLayout, toTorchLayout, torchShape } from '../../../runtime/weights/torch-layout.js';
import { rawSafetensors } from './raw-safetensors.js';

/** A safetensors file with one tensor of raw bytes (for dtypes the writer does not emit). */
function rawFile(dtype: string, shape: number[], data: Uint8Array): Uint8Array {
  return rawSafetensors([{ name: 't', dtype, shape, data }]);
}

describe('safetensors', () => {
  it('round-trips F32 and I64 with metadata', () => {
    const bytes = encodeSafetensors(
      new Map([
        ['a.weight', { dtype: 'F32' as const, shape: [2, 3], values: Float32Array.from([1, -2, 3.5, 0, 1e-8, -7]) }],
        ['a.num_batches_tracked', { dtype: 'I64' as const, shape: [], values: BigInt64Array.from([42n]) }],
      ]),
      { format: 'pt' },
    );
    const file = decodeSafetensors(bytes);
    expect(file.metadata).toEqual({ format: 'pt' });
    expect(Array.from(file.tensors.get('a.weight')?.values ?? [])).toEqual(Array.from(Float32Array.from([1, -2, 3.5, 0, 1e-8, -7])));
    expect(file.tensors.get('a.num_batches_tracked')).toMatchObject({ dtype: 'I64', shape: [], values: Float32Array.from([42]) });
  });

  it('reads F16 (normal, subnormal, inf) and BF16', () => {
    const f16 = new Uint16Array([0x3c00, 0xc000, 0x3555, 0x0001, 0x7c00]); // 1, -2, ~0.33325, 2^-24, inf
    const half = decodeSafetensors(rawFile('F16', [5], new Uint8Array(f16.buffer))).tensors.get('t')?.values;
    expect(Array.from(half ?? [])).toEqual([1, -2, Math.fround(0.333251953125), Math.fround(2 ** -24), Infinity]);
    const bf16 = new Uint16Array([0x3f80, 0xc0a0, 0x3e80]); // 1, -5, 0.25
    expect(Array.from(decodeSafetensors(rawFile('BF16', [3], new Uint8Array(bf16.buffer))).tensors.get('t')?.values ?? [])).toEqual([1, -5, 0.25]);
  });

  it('says what is wrong with a broken file', () => {
    expect(() => decodeSafetensors(new Uint8Array(4))).toThrow(SafetensorsError);
    expect(() => decodeSafetensors(rawFile('F64', [1], new Uint8Array(8)))).toThrow(/unsupported dtype F64/);
    expect(() => decodeSafetensors(rawFile('F32', [3], new Uint8Array(8)))).toThrow(/data_offsets \[0, 8\] do not fit shape \[3\] F32/);
  });
});

describe('torch layout', () => {
  it('converts conv OIHW <-> HWIO and linear [out, in] <-> [in, out]', () => {
    const torch = Float32Array.from({ length: 2 * 3 * 2 * 2 }, (_, i) => i); // O=2, I=3, H=2, W=2
    const tfjs = fromTorchLayout(torch, [2, 3, 2, 2]);
    // tfjs[h=1][w=0][i=2][o=1] = torch[o=1][i=2][h=1][w=0] = 1*12 + 2*4 + 1*2 + 0 = 22
    expect(tfjs[((1 * 2 + 0) * 3 + 2) * 2 + 1]).toBe(22);
    expect(torchShape([2, 2, 3, 2])).toEqual([2, 3, 2, 2]);
    expect(Array.from(toTorchLayout(tfjs, [2, 2, 3, 2]))).toEqual(Array.from(torch));
    expect(Array.from(fromTorchLayout(Float32Array.from([1, 2, 3, 4, 5, 6]), [2, 3]))).toEqual([1, 4, 2, 5, 3, 6]);
  });
});
