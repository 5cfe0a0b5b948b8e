import { stat } from 'node:fs/promises';
import type { RunConfig } from '../../compiler/types/run-config.js';
import { buildNetwork } from '../models/build-network.js';
import type { Network } from '../models/network.js';
import { loadWeights } from '../weights/load-weights.js';
import { resolvePretrained } from '../weights/resolve-pretrained.js';

export type NetworkBuilder = (options: {
  config: RunConfig;
  numClasses: number;
  specDir: string;
  /** For the run log: what loading pretrained weights left out (a head of another class count). */
  notice: (message: string) => void;
}) => Promise<Network>;

/**
 * The run's network (runtime/models), initialised from the run's seed, with
 * `model.pretrained` weights (ImageNet, a weights file, or a checkpoint of an
 * earlier run) loaded through runtime/weights; a head of another class count
 * keeps its fresh initialisation.
 */
/** A run folder given as `pretrained` stands for the weights it kept (merged with its frozen part when loaded). */
async function weightsFileOf(path: string | null): Promise<string | null> {
  if (path === null || !(await stat(path)).isDirectory()) return path;
  const { runWeights } = await import('../weights/run-weights.js');
  return (await runWeights(path)).file;
}

export const buildRunNetwork: NetworkBuilder = async ({ config, numClasses, specDir, notice }) => {
  const { model } = config;
  const network = buildNetwork({
    arch: model.arch,
    numClasses,
    trainableLayers: model.trainable_layers,
    dropout: model.dropout,
    seed: config.seed,
  });
  try {
    const file = await weightsFileOf(resolvePretrained(model.pretrained, specDir, model.arch));
    if (file !== null) {
      const report = await loadWeights(network, file, { allowHeadMismatch: true });
      notice(`loaded ${report.loaded} tensors from ${file}${report.note ? `; ${report.note}` : ''}`);
    }
  } catch (error) {
    network.dispose();
    throw Object.assign(error as Error, { code: 'PRETRAINED_WEIGHTS' });
  }
  return network;
};
