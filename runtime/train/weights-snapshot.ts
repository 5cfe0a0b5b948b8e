import * as tf from '../backend/tf.js';
import type { Network } from '../models/network.js';

/**
 * An in-memory copy of the weights that training changes (the trainable
 * parameters and every BatchNorm buffer), by state_dict name. trainRun keeps
 * one of the epoch `select` keeps and puts it back into the network at the end.
 */
export class WeightsSnapshot {
  private readonly tensors = new Map<string, tf.Tensor>();

  /** Names a snapshot of `network` holds. */
  static names(network: Network): string[] {
    return [...network.trainableNames, ...network.buffers.keys()];
  }

  /** Replaces the copy with the network's current values. */
  capture(network: Network): void {
    this.clear();
    for (const name of WeightsSnapshot.names(network)) {
      this.tensors.set(name, tf.keep(tf.clone(variableOf(network, name))));
    }
  }

  /** Replaces the copy with given tensors (copied; the caller keeps its own). Every trainable name must be present. */
  load(network: Network, weights: ReadonlyMap<string, tf.Tensor>): void {
    const missing = network.trainableNames.filter((name) => !weights.has(name));
    if (missing.length > 0) throw new Error(`kept weights lack trainable parameters: ${missing.slice(0, 3).join(', ')}`);
    this.clear();
    for (const name of WeightsSnapshot.names(network)) {
      const source = weights.get(name) ?? variableOf(network, name);
      this.tensors.set(name, tf.keep(tf.clone(source)));
    }
  }

  get isEmpty(): boolean {
    return this.tensors.size === 0;
  }

  /** Copies the snapshot into the network's variables. */
  restore(network: Network): void {
    for (const [name, tensor] of this.tensors) variableOf(network, name).assign(tensor);
  }

  clear(): void {
    for (const tensor of this.tensors.values()) tensor.dispose();
    this.tensors.clear();
  }
}

function variableOf(network: Network, name: string): tf.Variable {
  const variable = network.parameters.get(name) ?? network.buffers.get(name);
  if (variable === undefined) throw new Error(`network has no parameter or buffer "${name}"`);
  return variable;
}
