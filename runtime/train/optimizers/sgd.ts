import * as tf from '../../backend/tf.js';
import { SlotStore, splitSlotKey, type Optimizer } from './optimizer.js';

export interface SgdOptions {
  readonly momentum: number;
  readonly nesterov: boolean;
  readonly weightDecay: number;
}

/**
 * torch.optim.SGD with dampening 0: `d = g + wd * p`; with momentum,
 * `buf = momentum * buf + d` (buf = d on the first step) and `d = buf`, or
 * `d = d + momentum * buf` with nesterov; then `p -= lr * d`.
 */
export class Sgd implements Optimizer {
  private readonly slots = new SlotStore();
  private steps = 0;

  constructor(private readonly options: SgdOptions) {}

  get step(): number {
    return this.steps;
  }

  apply({ params, grads, lr }: Parameters<Optimizer['apply']>[0]): void {
    const { momentum, nesterov, weightDecay } = this.options;
    for (const [name, grad] of Object.entries(grads)) {
      const param = requireParam(params, name);
      tf.tidy(() => {
        let d: tf.Tensor = grad;
        if (weightDecay !== 0) d = tf.add(d, tf.mul(param, weightDecay));
        if (momentum !== 0) {
          const previous = this.slots.get(name, 'momentum_buffer');
          const buffer = previous === undefined ? tf.clone(d) : tf.add(tf.mul(previous, momentum), d);
          this.slots.set(name, 'momentum_buffer', tf.keep(buffer));
          d = nesterov ? tf.add(d, tf.mul(buffer, momentum)) : buffer;
        }
        param.assign(tf.sub(param, tf.mul(d, lr)));
      });
    }
    this.steps += 1;
  }

  getState(): Map<string, tf.Tensor> {
    return this.slots.entries();
  }

  setState(state: ReadonlyMap<string, tf.Tensor>, step: number): void {
    this.slots.clear();
    for (const [key, tensor] of state) {
      const { name, slot } = splitSlotKey(key);
      if (slot !== 'momentum_buffer') throw new Error(`SGD has no optimizer slot "${slot}" (key ${key})`);
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
