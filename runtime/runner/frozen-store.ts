import { mkdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Network } from '../models/network.js';
import { writeFileAtomic } from '../results/atomic-write.js';
import { checkpointDirName, sha256 } from '../results/checkpoint-store.js';
import type { RunPaths } from '../results/run-paths.js';
import { encodeNetwork } from './checkpoint-tensors.js';

/**
 * The frozen part of a run's weights, stored once per study instead of in
 * every epoch's checkpoint: parameters that do not train and the BatchNorm
 * buffers of layers that do not train (the split frozenWeightsDigest and the
 * feature cache use). The file is content-addressed,
 * `<results>/<spec>/frozen/<sha256>.safetensors`, so every run with the same
 * backbone weights and seed shares one copy whatever its head or class
 * count, and a checkpoint names it by path and sha256 in its manifest and in
 * its model file's metadata.
 */
export interface FrozenWeights {
  readonly file: string;
  /** The file relative to a checkpoint folder of the run, as manifests and model files name it. */
  readonly path: string;
  readonly sha256: string;
  readonly bytes: number;
  /** state_dict keys in the file (num_batches_tracked included). */
  readonly keys: ReadonlySet<string>;
}

export function frozenKeys(network: Network): Set<string> {
  const trainable = new Set(network.trainableNames);
  const keys = new Set<string>();
  for (const name of network.parameters.keys()) if (!trainable.has(name)) keys.add(name);
  for (const name of network.buffers.keys()) {
    const layer = name.slice(0, name.lastIndexOf('.'));
    if (trainable.has(`${layer}.weight`)) continue;
    keys.add(name);
    if (name.endsWith('.running_var')) keys.add(`${layer}.num_batches_tracked`);
  }
  return keys;
}

/** Writes the network's frozen tensors to the store unless an intact copy is there; null when nothing is frozen. */
export async function storeFrozenWeights(network: Network, paths: RunPaths): Promise<FrozenWeights | null> {
  const storeDir = paths.frozenStore;
  const keys = frozenKeys(network);
  if (keys.size === 0) return null;
  // No class count in the metadata: the head always trains, so runs with other heads share the file.
  const bytes = encodeNetwork(network, (key) => keys.has(key), { format: 'pt', arch: network.arch });
  const digest = sha256(bytes);
  const file = join(storeDir, `${digest}.safetensors`);
  const existing = await readFile(file).catch(() => null);
  if (existing === null || sha256(existing) !== digest) {
    await mkdir(storeDir, { recursive: true });
    // Two runners writing the same file write the same bytes; the rename makes either one whole.
    await writeFileAtomic(file, bytes);
  }
  const path = relative(join(paths.checkpoints, checkpointDirName(0)), file);
  return { file, path, sha256: digest, bytes: bytes.byteLength, keys };
}
