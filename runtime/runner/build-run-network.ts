import type { RunConfig } from '../../compiler/types/run-config.js';
import { buildNetwork } from '../models/build-network.js';
import type { Network } from '../models/network.js';

export type NetworkBuilder = (options: { config: RunConfig; numClasses: number; specDir: string }) => Promise<Network>;

/**
 * The run's network (runtime/models), initialised from the run's seed, with
 * `model.pretrained` weights loaded through runtime/weights when it names some.
 */
export const buildRunNetwork: NetworkBuilder = async ({ config, numClasses, specDir }) => {
  const { model } = config;
  const network = buildNetwork({
    arch: model.arch,
    numClasses,
    trainableLayers: model.trainable_layers,
    dropout: model.dropout,
    seed: config.seed,
  });
  if (model.pretrained !== 'none') {
    try {
      await loadPretrained(network, model.pretrained, specDir);
    } catch (error) {
      network.dispose();
      throw error;
    }
  }
  return network;
};

async function loadPretrained(network: Network, pretrained: string, specDir: string): Promise<void> {
  void network;
  void specDir;
  throw Object.assign(new Error(`pretrained: ${pretrained} cannot be loaded: this build has no weights loader (runtime/weights)`), {
    code: 'PRETRAINED_UNAVAILABLE',
  });
}
