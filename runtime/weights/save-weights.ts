/**
 * Writes a network's parameters and BatchNorm buffers as a safetensors file
 * in torchvision's state_dict names and torch layout, with the
 * num_batches_tracked buffers PyTorch's strict load_state_dict expects, so a
 * checkpoint loads in PyTorch and as `pretrained: <path>`.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { architecture } from '../models/build-network.js';
import type { Network } from '../models/network.js';
import { encodeSafetensors, type TensorToWrite } from './safetensors.js';
import { toTorchLayout, torchShape } from './torch-layout.js';

export function networkStateDict(network: Network): Map<string, TensorToWrite> {
  const arch = architecture(network.arch, network.numClasses);
  const out = new Map<string, TensorToWrite>();
  const add = (name: string, variable: { shape: number[]; dataSync(): unknown }): void => {
    out.set(name, { dtype: 'F32', shape: torchShape(variable.shape), values: toTorchLayout(variable.dataSync() as Float32Array, variable.shape) });
  };
  for (const spec of arch.params) {
    const variable = network.parameters.get(spec.name);
    if (!variable) throw new Error(`network has no parameter ${spec.name}`);
    add(spec.name, variable);
    if (spec.kind === 'bn-bias') {
      for (const buffer of ['running_mean', 'running_var']) {
        const name = `${spec.module}.${buffer}`;
        const value = network.buffers.get(name);
        if (!value) throw new Error(`network has no buffer ${name}`);
        add(name, value);
      }
      out.set(`${spec.module}.num_batches_tracked`, { dtype: 'I64', shape: [], values: new BigInt64Array(1) });
    }
  }
  return out;
}

export async function saveWeights(network: Network, file: string): Promise<void> {
  const bytes = encodeSafetensors(networkStateDict(network), { format: 'pt', arch: network.arch, num_classes: String(network.numClasses) });
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.tmp-${process.pid}`;
  await writeFile(temporary, bytes);
  await rename(temporary, file);
}
