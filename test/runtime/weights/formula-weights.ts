/**
 * The deterministic weights of tools/reference/make-logit-fixtures.py: every
 * value is a function of the tensor's state_dict name and the element's flat
 * index in torch layout, so parity fixtures need to store only logits.
 */
import type { ArchName } from '../../../compiler/types/run-config.js';
import { architecture } from '../../../runtime/models/build-network.js';
import type { TensorToWrite } from '../../../runtime/weights/safetensors.js';
import { torchShape } from '../../../runtime/weights/torch-layout.js';

function fnv1a(name: string): number {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(name)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** u in [0, 1) from a 32-bit integer hash of (name, index), as the Python script computes it. */
function formulaUniform(base: number, i: number): number {
  let x = (Math.imul(i, 2654435761 | 0) + base) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b) >>> 0;
  return ((x ^ (x >>> 16)) >>> 0) / 4294967296;
}

export function formulaValues(name: string, shape: readonly number[]): Float32Array {
  const count = shape.reduce((a, b) => a * b, 1);
  const base = fnv1a(name);
  const out = new Float32Array(count);
  const fanIn = shape.slice(1).reduce((a, b) => a * b, 1);
  // value = offset + scale * u
  let [offset, scale] = [0, 0];
  if (name.startsWith('input')) [offset, scale] = [-1, 2];
  else if (name.endsWith('running_mean')) [offset, scale] = [-0.2, 0.4];
  else if (name.endsWith('running_var')) [offset, scale] = [0.5, 1];
  else if (shape.length >= 2) [offset, scale] = [-Math.sqrt(6 / fanIn), 2 * Math.sqrt(6 / fanIn)];
  else if (name.endsWith('.weight')) [offset, scale] = [0.5, 1];
  else [offset, scale] = [-0.2, 0.4];
  for (let i = 0; i < count; i++) out[i] = offset + scale * formulaUniform(base, i);
  return out;
}

/** A torchvision-layout state_dict of formula weights, num_batches_tracked included. */
export function formulaStateDict(arch: ArchName, numClasses: number): Map<string, TensorToWrite> {
  const description = architecture(arch, numClasses);
  const out = new Map<string, TensorToWrite>();
  for (const spec of [...description.params, ...description.buffers]) {
    const shape = torchShape(spec.shape);
    out.set(spec.name, { dtype: 'F32', shape, values: formulaValues(spec.name, shape) });
  }
  for (const module of new Set(description.buffers.map((b) => b.module))) {
    out.set(`${module}.num_batches_tracked`, { dtype: 'I64', shape: [], values: new BigInt64Array([7n]) });
  }
  return out;
}
