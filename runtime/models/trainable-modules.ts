/**
 * `trainable_layers` (language spec): the last N Conv2d modules in
 * torchvision module order, each with the BatchNorm that follows it, plus
 * the new head, train; everything else is frozen.
 */
import type { Architecture } from './architecture.js';

export function trainableModules(arch: Architecture, trainableLayers: number | 'all'): Set<string> {
  const convs = arch.convs;
  const count = trainableLayers === 'all' ? convs.length : trainableLayers;
  if (!Number.isInteger(count) || count < 0 || count > convs.length) {
    throw new RangeError(`trainable_layers must be 'all' or an integer in [0, ${convs.length}], got ${String(trainableLayers)}`);
  }
  const modules = new Set<string>(arch.head);
  for (const conv of convs.slice(convs.length - count)) {
    modules.add(conv);
    const bn = arch.batchNormOf.get(conv);
    if (bn) modules.add(bn);
  }
  return modules;
}
