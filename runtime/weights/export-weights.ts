/**
 * `sweepspec export weights`: a run's kept weights as one standalone file in
 * torchvision state_dict order, loadable by PyTorch's strict
 * load_state_dict: the checkpoint's model file merged with the study's frozen
 * weights it names (read-weights.ts), num_batches_tracked as int64.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { UserError } from '../../bin/user-error.js';
import type { ArchName } from '../../compiler/types/run-config.js';
import { writeFileAtomic } from '../results/atomic-write.js';
import { readWeightsFile } from './read-weights.js';
import { encodeSafetensors, type TensorToWrite } from './safetensors.js';
import { torchStateDictSpec } from './save-weights.js';

export async function exportWeights(file: string, arch: ArchName, numClasses: number, out: string): Promise<{ tensors: number }> {
  const { tensors, metadata } = await readWeightsFile(file);
  const ordered = new Map<string, TensorToWrite>();
  const missing: string[] = [];
  for (const { name, shape, dtype } of torchStateDictSpec(arch, numClasses)) {
    const entry = tensors.get(name);
    if (!entry) {
      missing.push(name);
      continue;
    }
    if (entry.shape.join(',') !== shape.join(',')) throw new UserError(`${file}: ${name} is [${entry.shape}], ${arch} with ${numClasses} classes has [${shape}]`);
    ordered.set(name, dtype === 'I64' ? { dtype, shape, values: BigInt64Array.from(entry.values, (v) => BigInt(v)) } : { dtype, shape, values: entry.values });
  }
  if (missing.length > 0) throw new UserError(`${file} lacks ${missing.length} tensors of ${arch} (${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', ...' : ''})`);
  await mkdir(dirname(out), { recursive: true });
  await writeFileAtomic(out, encodeSafetensors(ordered, { ...metadata, format: 'pt', arch, num_classes: String(numClasses) }));
  return { tensors: ordered.size };
}
