import type * as tf from '../../backend/tf.js';

/**
 * A PyTorch-semantics optimizer over named parameters. Slots are keyed by
 * parameter name, never by position, so a checkpoint written by one run can be
 * restored into a network whose trainable set is enumerated differently.
 */
export interface Optimizer {
  /** Optimizer steps taken so far (Adam's bias correction reads it). */
  readonly step: number;
  /**
   * One update of every named parameter with learning rate `lr`. `grads` holds
   * one gradient per name in `names`; the caller owns and disposes them.
   */
  apply(options: {
    readonly params: ReadonlyMap<string, tf.Variable>;
    readonly grads: Readonly<Record<string, tf.Tensor>>;
    readonly lr: number;
  }): void;
  /** Slot tensors by `<parameter name>/<slot>` (torch's slot names); owned by the optimizer, do not dispose. */
  getState(): Map<string, tf.Tensor>;
  /** Restores slots (copied; the caller keeps its tensors) and the step count. */
  setState(state: ReadonlyMap<string, tf.Tensor>, step: number): void;
  dispose(): void;
}

/** Slots stored as kept tensors, replaced (and the old one disposed) on every update. */
export class SlotStore {
  private readonly slots = new Map<string, tf.Tensor>();

  get(name: string, slot: string): tf.Tensor | undefined {
    return this.slots.get(`${name}/${slot}`);
  }

  /** Takes ownership of `value` (it must be kept outside any tidy that would free it). */
  set(name: string, slot: string, value: tf.Tensor): void {
    const key = `${name}/${slot}`;
    const previous = this.slots.get(key);
    this.slots.set(key, value);
    if (previous !== undefined && previous !== value) previous.dispose();
  }

  entries(): Map<string, tf.Tensor> {
    return new Map(this.slots);
  }

  clear(): void {
    for (const tensor of this.slots.values()) tensor.dispose();
    this.slots.clear();
  }
}

/** Splits a `<parameter name>/<slot>` key at its last slash. */
export function splitSlotKey(key: string): { readonly name: string; readonly slot: string } {
  const at = key.lastIndexOf('/');
  if (at <= 0) throw new Error(`optimizer state key "${key}" is not <parameter>/<slot>`);
  return { name: key.slice(0, at), slot: key.slice(at + 1) };
}
