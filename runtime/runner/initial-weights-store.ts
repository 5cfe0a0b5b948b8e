import { mkdir, readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { architecture } from '../models/build-network.js';
import type { Network } from '../models/network.js';
import { writeFileAtomic } from '../results/atomic-write.js';
import { checkpointDirName, sha256, type SharedFile } from '../results/checkpoint-store.js';
import type { RunPaths } from '../results/run-paths.js';
import { encodeNetwork } from './checkpoint-tensors.js';

/**
 * The weights a run starts from, stored once per study: every tensor but the
 * classifier head's (its parameters, BatchNorm buffers and counters), as the
 * network was built (pretrained or seeded initialisation). The file is
 * content-addressed, `<results>/<spec>/frozen/<sha256>.safetensors`, so every
 * run with the same backbone weights (the same `pretrained` file, or the
 * same seed of a random initialisation) shares one copy whatever its head,
 * class count, trainable layers or optimizer. It serves twice:
 *
 * - a run with a frozen backbone does not write its frozen tensors into each
 *   epoch's checkpoint: the model file holds what trains and names this file
 *   (read-weights.ts merges them);
 * - a completed run's kept model file is packed as its difference from this
 *   file (runtime/weights/packed-weights.ts, pack-kept-weights.ts).
 *
 * Checkpoints name it in their manifest (role `base`, verified with them).
 */
export interface InitialWeights extends SharedFile {
  readonly file: string;
  /** state_dict keys that do not train (num_batches_tracked included): a checkpoint's model file leaves them out. */
  readonly frozenKeys: ReadonlySet<string>;
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

function moduleOf(key: string): string {
  return key.slice(0, key.lastIndexOf('.'));
}

/**
 * Stores the network's current tensors, head excepted, unless an intact copy
 * is there. Call it before training; a resumed run passes the base its
 * checkpoint names (`reuse`), so that all its checkpoints share one base.
 */
export async function storeInitialWeights(network: Network, paths: RunPaths, reuse?: SharedFile): Promise<InitialWeights> {
  const checkpointDir = join(paths.checkpoints, checkpointDirName(0));
  const frozen = frozenKeys(network);
  if (reuse) return { ...reuse, file: resolve(checkpointDir, reuse.path), frozenKeys: frozen };
  const head = new Set(architecture(network.arch, network.numClasses).head);
  // No class count in the metadata: the head is not in the file, so runs with other heads share it.
  const bytes = encodeNetwork(network, (key) => !head.has(moduleOf(key)), { format: 'pt', arch: network.arch });
  const digest = sha256(bytes);
  const file = join(paths.frozenStore, `${digest}.safetensors`);
  const existing = await readFile(file).catch(() => null);
  if (existing === null || sha256(existing) !== digest) {
    await mkdir(paths.frozenStore, { recursive: true });
    // Two runners writing the same file write the same bytes; the rename makes either one whole.
    await writeFileAtomic(file, bytes);
  }
  return { file, path: relative(checkpointDir, file), sha256: digest, bytes: bytes.byteLength, frozenKeys: frozen };
}
