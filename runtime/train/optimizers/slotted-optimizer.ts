import * as tf from '../../backend/tf.js';
import { SlotStore, splitSlotKey, type Optimizer } from './optimizer.js';

/**
 * What SGD and Adam share: named slots, the step count, and checkpoint
 * state in and out. Subclasses give their torch slot names and the update.
 */
export abstract class SlottedOptimizer implements Optimizer {
  protected readonly slots = new SlotStore();
  protected steps = 0;

  constructor(
    private readonly label: string,
    private readonly slotNames: readonly string[],
  ) {}

  get step(): number {
    return this.steps;
  }

  abstract apply(options: Parameters<Optimizer['apply']>[0]): void;

  getState(): Map<string, tf.Tensor> {
    return this.slots.entries();
  }

  setState(state: ReadonlyMap<string, tf.Tensor>, step: number): void {
    this.slots.clear();
    for (const [key, tensor] of state) {
      const { name, slot } = splitSlotKey(key);
      if (!this.slotNames.includes(slot)) throw new Error(`${this.label} has no optimizer slot "${slot}" (key ${key})`);
      this.slots.set(name, slot, tf.keep(tf.clone(tensor)));
    }
    this.steps = step;
  }

  dispose(): void {
    this.slots.clear();
  }
}

export function requireParam(params: ReadonlyMap<string, tf.Variable>, name: string): tf.Variable {
  const param = params.get(name);
  if (param === undefined) throw new Error(`optimizer got a gradient for unknown parameter "${name}"`);
  return param;
}
