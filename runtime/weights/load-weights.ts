/**
 * Loads a safetensors file of torchvision state_dict tensors (torch layout)
 * into a network. Unknown, missing and shape-mismatched keys are one clear
 * error listing them; with `allowHeadMismatch`, a classifier head of another
 * class count is skipped (transfer learning) and reported instead.
 */
import { UserError } from '../../bin/user-error.js';
import * as tf from '../backend/tf.js';
import { architecture } from '../models/build-network.js';
import type { Network } from '../models/network.js';
import { readWeightsFile } from './read-weights.js';
import type { SafetensorsEntry } from './safetensors.js';
import { fromTorchLayout, torchShape } from './torch-layout.js';

export interface LoadWeightsOptions {
  /** Skip (and report) head tensors whose class count differs. */
  readonly allowHeadMismatch?: boolean;
}

export interface LoadWeightsReport {
  readonly loaded: number;
  /** Head tensors not loaded because the file's class count differs. */
  readonly skippedHead: readonly string[];
  /** A sentence for the run log, e.g. "head fc (1000 classes in the file) not loaded: 10 classes". */
  readonly note: string | null;
}

/** Keys other tools write for our names: the seed's head was Sequential(Dropout, Linear). */
const ALIASES: Readonly<Record<string, string>> = { 'fc.1.weight': 'fc.weight', 'fc.1.bias': 'fc.bias' };
const LIST_LIMIT = 8;

export async function loadWeights(network: Network, file: string, options: LoadWeightsOptions = {}): Promise<LoadWeightsReport> {
  const { tensors } = await readWeightsFile(file);
  return assignWeights(network, tensors, { ...options, source: file });
}

/** The checks and assignment of loadWeights, on already decoded tensors. */
export function assignWeights(
  network: Network,
  entries: ReadonlyMap<string, SafetensorsEntry>,
  options: LoadWeightsOptions & { readonly source: string },
): LoadWeightsReport {
  const targets = new Map<string, tf.Variable>([...network.parameters, ...network.buffers]);
  const file = new Map<string, SafetensorsEntry>();
  for (const [key, entry] of entries) {
    if (key.endsWith('.num_batches_tracked')) continue;
    file.set(ALIASES[key] ?? key, entry);
  }
  const head = new Set(architecture(network.arch, network.numClasses).head.flatMap((m) => [`${m}.weight`, `${m}.bias`]));
  const unknown = [...file.keys()].filter((k) => !targets.has(k));
  const missing = [...targets.keys()].filter((k) => !file.has(k));
  const mismatched: string[] = [];
  const skippedHead: string[] = [];
  for (const [key, variable] of targets) {
    const entry = file.get(key);
    if (!entry) continue;
    const expected = torchShape(variable.shape);
    if (sameShape(entry.shape, expected)) continue;
    if (head.has(key) && options.allowHeadMismatch) skippedHead.push(key);
    else mismatched.push(`${key} is [${entry.shape.join(', ')}], expected [${expected.join(', ')}]`);
  }
  const problems = [
    describe('unknown keys', unknown),
    describe('missing keys', missing),
    describe('shape mismatches', mismatched),
  ].filter((p): p is string => p !== null);
  if (problems.length > 0) {
    throw new UserError(`weights in ${options.source} do not fit ${network.arch} with ${network.numClasses} classes: ${problems.join('; ')}`);
  }
  let loaded = 0;
  for (const [key, variable] of targets) {
    if (skippedHead.includes(key)) continue;
    const entry = file.get(key) as SafetensorsEntry;
    const value = tf.tensor(fromTorchLayout(entry.values, entry.shape), variable.shape);
    variable.assign(value);
    value.dispose();
    loaded++;
  }
  const note =
    skippedHead.length > 0
      ? `head ${skippedHead.join(', ')} not loaded: the file's classifier has ${file.get(skippedHead[0])?.shape[0]} outputs, this network ${network.numClasses} (it keeps its fresh initialisation)`
      : null;
  return { loaded, skippedHead, note };
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function describe(what: string, keys: readonly string[]): string | null {
  if (keys.length === 0) return null;
  const shown = keys.slice(0, LIST_LIMIT).join(', ');
  return `${keys.length} ${what} (${shown}${keys.length > LIST_LIMIT ? `, ... ${keys.length - LIST_LIMIT} more` : ''})`;
}
