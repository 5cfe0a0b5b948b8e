import * as tf from '../backend/tf.js';
import type { Network } from '../models/network.js';
import type { CheckpointFile } from '../results/checkpoint-store.js';
import { findCheckpoint, keptEpoch, type ResumePoint } from '../results/run-checkpoints.js';
import type { RunPaths } from '../results/run-paths.js';
import type { TrainingState, TrainResume } from '../train/index.js';
import { decodeSafetensors, encodeSafetensors, type RawTensor } from './safetensors.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * What a checkpoint holds besides state.json: `model.safetensors` (every
 * parameter and BatchNorm buffer by torchvision state_dict name, in
 * torchvision's layout: conv OIHW, linear [out, in], so a checkpoint can be
 * used as `pretrained: <path>`) and `optimizer.safetensors` (the optimizer's
 * slots by `<parameter name>/<slot>`, in the network's own layout).
 */
export const MODEL_FILE = 'model.safetensors';
export const OPTIMIZER_FILE = 'optimizer.safetensors';

function raw(tensor: tf.Tensor): RawTensor {
  return tensor.dtype === 'int32'
    ? { dtype: 'I32', shape: tensor.shape, data: tensor.dataSync() as Int32Array }
    : { dtype: 'F32', shape: tensor.shape, data: tensor.dataSync() as Float32Array };
}

/** tfjs layout -> torchvision layout (and back with `inverse`). */
function torchLayout(tensor: tf.Tensor, inverse = false): tf.Tensor {
  if (tensor.rank === 4) return tf.transpose(tensor, inverse ? [2, 3, 1, 0] : [3, 2, 0, 1]);
  if (tensor.rank === 2) return tf.transpose(tensor, [1, 0]);
  return tf.clone(tensor);
}

export function encodeNetwork(network: Network): Uint8Array {
  const tensors = new Map<string, RawTensor>();
  for (const [name, variable] of [...network.parameters, ...network.buffers]) {
    const torch = tf.tidy(() => torchLayout(variable));
    tensors.set(name, raw(torch));
    torch.dispose();
  }
  return encodeSafetensors(tensors, { format: 'pt', arch: network.arch });
}

/** Tensors of a model file, in the network's layout, by state_dict name (the caller disposes them). */
export function decodeNetworkTensors(bytes: Uint8Array): Map<string, tf.Tensor> {
  const out = new Map<string, tf.Tensor>();
  for (const [name, entry] of decodeSafetensors(bytes)) {
    out.set(name, tf.tidy(() => torchLayout(tf.tensor(entry.data, [...entry.shape]), true)));
  }
  return out;
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

export function checkpointFiles(network: Network, optimizerState: ReadonlyMap<string, tf.Tensor>): CheckpointFile[] {
  const slots = new Map<string, RawTensor>();
  for (const [name, tensor] of optimizerState) slots.set(name, raw(tensor));
  return [
    { name: MODEL_FILE, bytes: encodeNetwork(network) },
    { name: OPTIMIZER_FILE, bytes: encodeSafetensors(slots) },
  ];
}

async function loadModelTensors(dir: string): Promise<Map<string, tf.Tensor>> {
  return decodeNetworkTensors(await readFile(join(dir, MODEL_FILE)));
}

function disposeAll(tensors: ReadonlyMap<string, tf.Tensor>): void {
  for (const tensor of tensors.values()) tensor.dispose();
}

/** Loads the resume checkpoint into the network and returns trainRun's resume (optimizer slots, kept weights). */
export async function loadCheckpoint(network: Network, paths: RunPaths, point: ResumePoint): Promise<TrainResume> {
  const latest = await loadModelTensors(point.checkpoint.dir);
  assignNetwork(network, latest);
  disposeAll(latest);
  const optimizerState = new Map<string, tf.Tensor>();
  for (const [name, entry] of decodeSafetensors(await readFile(join(point.checkpoint.dir, OPTIMIZER_FILE)))) {
    optimizerState.set(name, tf.tensor(entry.data, [...entry.shape], entry.dtype === 'I32' ? 'int32' : 'float32'));
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
  return loadModelTensors(found.dir);
}
