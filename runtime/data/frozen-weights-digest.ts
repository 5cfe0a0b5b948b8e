import { createHash } from 'node:crypto';
import type { Network } from '../models/network.js';

/**
 * The identity of a network's frozen weights: SHA-256 over the names, shapes
 * and float32 values of every parameter that does not train and every
 * BatchNorm buffer whose layer does not train. Values, not names of weight
 * files, so two networks with equal frozen weights share cached features and
 * any change to them (another checkpoint, another seed of a from-scratch
 * init) gives a new key. Reads the values once (about 45 MB for resnet18).
 */
export function frozenWeightsDigest(network: Network): string {
  const trainable = new Set(network.trainableNames);
  const hash = createHash('sha256');
  const add = (name: string, variable: { shape: number[]; dataSync(): ArrayLike<number> }) => {
    const values = variable.dataSync() as Float32Array;
    hash.update(`${name}\u0000${variable.shape.join('x')}\u0000`);
    hash.update(Buffer.from(values.buffer, values.byteOffset, values.byteLength));
  };
  for (const [name, variable] of network.parameters) {
    if (!trainable.has(name)) add(name, variable);
  }
  for (const [name, variable] of network.buffers) {
    const layer = name.slice(0, name.lastIndexOf('.'));
    if (!trainable.has(`${layer}.weight`)) add(name, variable);
  }
  return hash.digest('hex');
}
