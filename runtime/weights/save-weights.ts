/**
 * Writes a network's parameters and BatchNorm buffers as a safetensors file
 * in torchvision's state_dict names and torch layout, with the
 * num_batches_tracked buffers PyTorch's strict load_state_dict expects, so a
 * checkpoint loads in PyTorch and as `pretrained: <path>`.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ArchName } from '../../compiler/types/run-config.js';
import { architecture } from '../models/build-network.js';
import type { Network } from '../models/network.js';
import { encodeSafetensors, type TensorToWrite } from './safetensors.js';
import { toTorchLayout, torchShape } from './torch-layout.js';

/** torchvision's state_dict keys in order, with their torch-layout shapes and dtypes. */
export function torchStateDictSpec(arch: ArchName, numClasses: number): { name: string; shape: number[]; dtype: 'F32' | 'I64' }[] {
  const spec = architecture(arch, numClasses);
  const buffers = new Map(spec.buffers.map((b) => [b.name, b]));
  const out: { name: string; shape: number[]; dtype: 'F32' | 'I64' }[] = [];
  for (const param of spec.params) {
    out.push({ name: param.name, shape: torchShape(param.shape), dtype: 'F32' });
    if (param.kind !== 'bn-bias') continue;
    for (const kind of ['running_mean', 'running_var']) {
      const buffer = buffers.get(`${param.module}.${kind}`);
      if (!buffer) throw new Error(`architecture ${arch} has no buffer ${param.module}.${kind}`);
      out.push({ name: buffer.name, shape: torchShape(buffer.shape), dtype: 'F32' });
    }
    out.push({ name: `${param.module}.num_batches_tracked`, shape: [], dtype: 'I64' });
  }
  return out;
}

/** The network's state_dict in torchvision order; `include` picks keys (all by default). */
export function networkStateDict(network: Network, include: (key: string) => boolean = () => true): Map<string, TensorToWrite> {
  const variables = new Map([...network.parameters, ...network.buffers]);
  const out = new Map<string, TensorToWrite>();
  for (const { name, dtype } of torchStateDictSpec(network.arch, network.numClasses)) {
    if (!include(name)) continue;
    if (dtype === 'I64') {
      out.set(name, { dtype, shape: [], values: new BigInt64Array(1) });
      continue;
    }
    const variable = variables.get(name);
    if (!variable) throw new Error(`network has no tensor ${name}`);
    out.set(name, { dtype, shape: torchShape(variable.shape), values: toTorchLayout(variable.dataSync() as Float32Array, variable.shape) });
  }
  return out;
}

export function encodeNetworkWeights(network: Network, include?: (key: string) => boolean, metadata: Record<string, string> = {}): Uint8Array {
  return encodeSafetensors(networkStateDict(network, include), { format: 'pt', arch: network.arch, num_classes: String(network.numClasses), ...metadata });
}

export async function saveWeights(network: Network, file: string): Promise<void> {
  const bytes = encodeNetworkWeights(network);
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.tmp-${process.pid}`;
  await writeFile(temporary, bytes);
  await rename(temporary, file);
}
