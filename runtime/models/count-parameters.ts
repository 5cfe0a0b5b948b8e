import type { ArchName } from '../../compiler/types/run-config.js';
import { architecture } from './build-network.js';
import type { Network } from './network.js';
import { trainableModules } from './trainable-modules.js';

export interface ParameterCounts {
  readonly total: number;
  readonly trainable: number;
}

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Learnable parameter counts of a built network (buffers excluded, as torch's `parameters()`). */
export function countParameters(network: Network): ParameterCounts {
  let total = 0;
  for (const variable of network.parameters.values()) total += variable.size;
  const trainable = network.trainableNames.reduce((sum, name) => sum + (network.parameters.get(name)?.size ?? 0), 0);
  return { total, trainable };
}

/** The same counts without allocating any tensor. */
export function architectureParameterCounts(arch: ArchName, numClasses: number, trainableLayers: number | 'all'): ParameterCounts {
  const description = architecture(arch, numClasses);
  const trainable = trainableModules(description, trainableLayers);
  let total = 0;
  let trainableCount = 0;
  for (const spec of description.params) {
    total += size(spec.shape);
    if (trainable.has(spec.module)) trainableCount += size(spec.shape);
  }
  return { total, trainable: trainableCount };
}

/** Number of Conv2d modules (the range of `trainable_layers`). */
export function convLayerCount(arch: ArchName): number {
  return architecture(arch, 1).convs.length;
}
