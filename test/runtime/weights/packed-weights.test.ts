import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Random } from '../../../runtime/random.js';
import { isPackedWeights, packWeights, readPackedHeader, unpackWeights } from '../../../runtime/weights/packed-weights.js';
import { encodeSafetensors, type TensorToWrite } from '../../../runtime/weights/safetensors.js';
import { rawSafetensors } from './raw-safetensors.js';

const f32 = (values: number[], shape = [values.length]): TensorToWrite => ({ dtype: 'F32', shape, values: Float32Array.from(values) });
const file = (tensors: Record<string, TensorToWrite>, metadata: Record<string, string> = {}) => encodeSafetensors(new Map(Object.entries(tensors)), metadata);
const noBase = async (): Promise<Uint8Array> => {
  throw new Error('no base expected');
};

/** A safetensors file with an F16 tensor of odd length first, so the F32 tensor after it is not 4-byte aligned. */
function misaligned(values: Float32Array): Uint8Array {
  return rawSafetensors([
    { name: 'h', dtype: 'F16', shape: [3], data: new Uint8Array(6) },
    { name: 'w', dtype: 'F32', shape: [values.length], data: new Uint8Array(values.buffer) },
  ]);
}

describe('packed weights', () => {
  it('give back the exact bytes, with a base and without, for any float32 values (NaN payloads, -0, subnormals included)', async () => {
    const floats = fc.float32Array({ minLength: 1, maxLength: 64 });
    await fc.assert(fc.asyncProperty(floats, floats, fc.boolean(), async (a, b, withBase) => {
      const original = file({ 'x.weight': { dtype: 'F32', shape: [a.length], values: a }, 'x.num_batches_tracked': { dtype: 'I64', shape: [], values: BigInt64Array.from([7n]) } }, { format: 'pt' });
      // The base's tensor matches by name only when the sizes agree; otherwise it is left alone.
      const base = file({ 'x.weight': { dtype: 'F32', shape: [b.length], values: b } });
      const packed = await packWeights(original, withBase ? { bytes: base, path: 'base.safetensors' } : null);
      expect(isPackedWeights(packed)).toBe(true);
      const unpacked = await unpackWeights(packed, async (path) => {
        expect(path).toBe('base.safetensors');
        return base;
      });
      expect(Buffer.from(unpacked).equals(Buffer.from(original))).toBe(true);
    }), { numRuns: 60 });
  });

  it('handle float32 data that is not 4-byte aligned', async () => {
    const values = Float32Array.from({ length: 33 }, (_, i) => Math.sin(i));
    const original = misaligned(values);
    const base = misaligned(values.map((v) => v * 1.001));
    const unpacked = await unpackWeights(await packWeights(original, { bytes: base, path: 'b' }), async () => base);
    expect(Buffer.from(unpacked).equals(Buffer.from(original))).toBe(true);
  });

  it('shrink weights that moved a little from their base', async () => {
    // Like a fine-tuned layer: random initial values, each moved by a fraction of a percent.
    const random = new Random(3);
    const start = Float32Array.from({ length: 50_000 }, () => random.uniform(-0.05, 0.05));
    const trained = start.map((v) => v * (1 + random.uniform(-0.003, 0.003)));
    const original = file({ 'conv.weight': { dtype: 'F32', shape: [trained.length], values: trained } });
    const base = file({ 'conv.weight': { dtype: 'F32', shape: [start.length], values: start } });
    const withBase = await packWeights(original, { bytes: base, path: 'b' });
    const without = await packWeights(original, null);
    expect(withBase.byteLength).toBeLessThan(0.6 * original.byteLength);
    expect(withBase.byteLength).toBeLessThan(without.byteLength);
    expect(readPackedHeader(withBase)).toMatchObject({ base: { path: 'b' }, original: { bytes: original.byteLength } });
  });

  it('refuse a changed base and damaged data, saying which', async () => {
    const original = file({ w: f32([1, 2, 3, 4]) });
    const base = file({ w: f32([1, 2, 3, 5]) });
    const packed = await packWeights(original, { bytes: base, path: 'b' });
    await expect(unpackWeights(packed, async () => file({ w: f32([1, 2, 3, 6]) }))).rejects.toThrow(/base weights b do not match/);
    for (const at of [packed.length - 3, packed.length - 12]) {
      const damaged = packed.slice();
      damaged[at] ^= 0xff;
      await expect(unpackWeights(damaged, async () => base)).rejects.toThrow(/damaged/);
    }
    await expect(unpackWeights(original, noBase)).rejects.toThrow(/not a packed weights file/);
  });
});
