import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '../backend/tf.js';
import type { Network } from '../models/network.js';
import type { Checkpoint, CheckpointFile, SharedFile } from '../results/checkpoint-store.js';
import { findCheckpoint, keptEpoch, type ResumePoint } from '../results/run-checkpoints.js';
import { MODEL_FILE, modelFileOf } from '../results/model-file.js';
import type { RunPaths } from '../results/run-paths.js';
import type { TrainingState, TrainResume } from '../train/index.js';
import { FROZEN_PATH_KEY, FROZEN_SHA256_KEY, readWeightsFile } from '../weights/read-weights.js';
import { decodeSafetensors, encodeSafetensors, type TensorToWrite } from '../weights/safetensors.js';
import type { InitialWeights } from './initial-weights-store.js';
import { fromTorchLayout, toTorchLayout, torchShape } from '../weights/torch-layout.js';

/**
 * What a checkpoint holds besides state.json: `model.safetensors` (every
 * parameter and BatchNorm buffer by torchvision state_dict name, in torch
 * layout, with the num_batches_tracked entries PyTorch expects, so a
 * checkpoint loads in PyTorch and as `pretrained: <path>`; with a frozen
 * backbone only the tensors that train, the rest being in the study's
 * store, see initial-weights-store.ts) and
 * `optimizer.safetensors` (the optimizer's slots by `<parameter name>/<slot>`,
 * in the network's own layout). Once the run completes, the kept checkpoint's
 * model file may be replaced by `model.safetensors.packed`, the same bytes
 * packed against the run's initial weights (pack-kept-weights.ts). The codec
 * and layouts are runtime/weights'.
 */
export const OPTIMIZER_FILE = 'optimizer.safetensors';

/** The network's tensors (those `include` picks) in its own order; a checkpoint's model file is encoded here. */
export function encodeNetwork(
  network: Network,
  include: (key: string) => boolean = () => true,
  metadata: Record<string, string> = { format: 'pt', arch: network.arch, num_classes: String(network.numClasses) },
): Uint8Array {
  const tensors = new Map<string, TensorToWrite>();
  for (const [name, variable] of [...network.parameters, ...network.buffers]) {
    if (include(name)) {
      tensors.set(name, { dtype: 'F32', shape: torchShape(variable.shape), values: toTorchLayout(variable.dataSync() as Float32Array, variable.shape) });
    }
    const counter = name.replace(/running_var$/, 'num_batches_tracked');
    if (name.endsWith('.running_var') && include(counter)) tensors.set(counter, { dtype: 'I64', shape: [], values: new BigInt64Array(1) });
  }
  return encodeSafetensors(tensors, metadata);
}

/** Tensors of a model file (with its frozen part), in the network's layout, by state_dict name (the caller disposes them). */
export async function readNetworkTensors(file: string): Promise<Map<string, tf.Tensor>> {
  const out = new Map<string, tf.Tensor>();
  for (const [name, entry] of (await readWeightsFile(file)).tensors) {
    if (name.endsWith('.num_batches_tracked')) continue;
    out.set(name, tf.tensor(fromTorchLayout(entry.values, entry.shape), tfjsShape(entry.shape)));
  }
  return out;
}

/** The inverse of torchShape. */
function tfjsShape(torch: readonly number[]): number[] {
  if (torch.length === 4) return [torch[2], torch[3], torch[1], torch[0]];
  if (torch.length === 2) return [torch[1], torch[0]];
  return [...torch];
}

export function assignNetwork(network: Network, tensors: ReadonlyMap<string, tf.Tensor>): void {
  for (const [name, variable] of [...network.parameters, ...network.buffers]) {
    const value = tensors.get(name);
    if (!value) throw Object.assign(new Error(`checkpoint has no tensor ${name}`), { code: 'CHECKPOINT_MISMATCH' });
    if (value.shape.join(',') !== variable.shape.join(',')) {
      throw Object.assign(new Error(`checkpoint tensor ${name} has shape [${value.shape}], the network [${variable.shape}]`), { code: 'CHECKPOINT_MISMATCH' });
    }
    variable.assign(value);
  }
}

export interface EpochCheckpoint {
  readonly files: CheckpointFile[];
  readonly resumeOnly: string[];
  readonly shared?: Record<string, SharedFile>;
}

/**
 * An epoch's checkpoint files. With `initial` (the run's initial weights,
 * already in the store) the manifest names that file as the `base`; when
 * part of the network is frozen, the model file holds only the rest and
 * names the file too, so a frozen backbone is not written again every epoch.
 */
export function checkpointFiles(network: Network, optimizerState: ReadonlyMap<string, tf.Tensor>, initial: InitialWeights | null = null): EpochCheckpoint {
  const slots = new Map<string, TensorToWrite>();
  for (const [name, tensor] of optimizerState) {
    slots.set(name, { dtype: 'F32', shape: tensor.shape, values: Float32Array.from(tensor.dataSync() as Float32Array) });
  }
  const optimizer: CheckpointFile = { name: OPTIMIZER_FILE, bytes: encodeSafetensors(slots) };
  if (!initial) return { files: [{ name: MODEL_FILE, bytes: encodeNetwork(network) }, optimizer], resumeOnly: [OPTIMIZER_FILE] };
  const { path, sha256, bytes, frozenKeys } = initial;
  const model = frozenKeys.size === 0 ? encodeNetwork(network) : encodeNetwork(network, (key) => !frozenKeys.has(key), {
    format: 'pt', arch: network.arch, num_classes: String(network.numClasses),
    [FROZEN_PATH_KEY]: path, [FROZEN_SHA256_KEY]: sha256,
  });
  return {
    files: [{ name: MODEL_FILE, bytes: model }, optimizer],
    resumeOnly: [OPTIMIZER_FILE],
    shared: { base: { path, sha256, bytes } },
  };
}

async function loadModelTensors(checkpoint: Checkpoint): Promise<Map<string, tf.Tensor>> {
  return readNetworkTensors(modelFileOf(checkpoint));
}

function disposeAll(tensors: ReadonlyMap<string, tf.Tensor>): void {
  for (const tensor of tensors.values()) tensor.dispose();
}

/** Loads the resume checkpoint into the network and returns trainRun's resume (optimizer slots, kept weights). */
export async function loadCheckpoint(network: Network, paths: RunPaths, point: ResumePoint): Promise<TrainResume> {
  const latest = await loadModelTensors(point.checkpoint);
  assignNetwork(network, latest);
  disposeAll(latest);
  const optimizerState = new Map<string, tf.Tensor>();
  for (const [name, entry] of decodeSafetensors(await readFile(join(point.checkpoint.dir, OPTIMIZER_FILE))).tensors) {
    optimizerState.set(name, tf.tensor(entry.values, [...entry.shape], 'float32'));
  }
  const kept = keptEpoch(point.state);
  if (kept === point.state.epochsCompleted) return { state: point.state, optimizerState };
  return { state: point.state, optimizerState, bestWeights: await keptTensors(paths, kept) };
}

/** Puts the weights of the epoch `select` kept into the network. */
export async function loadKeptWeights(network: Network, paths: RunPaths, state: TrainingState): Promise<void> {
  const tensors = await keptTensors(paths, keptEpoch(state));
  assignNetwork(network, tensors);
  disposeAll(tensors);
}

async function keptTensors(paths: RunPaths, epoch: number): Promise<Map<string, tf.Tensor>> {
  const found = await findCheckpoint(paths, epoch);
  if (!found || 'code' in found) {
    const why = found ? `${found.code}: ${found.message}` : 'it is missing';
    throw Object.assign(new Error(`the checkpoint of epoch ${epoch}, the kept one, cannot be used (${why}); retrain with --rerun failed`), {
      code: 'CHECKPOINT_CORRUPT',
    });
  }
  return loadModelTensors(found);
}
