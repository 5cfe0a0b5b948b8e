import * as tf from '../../backend/tf.js';
import type { Optimizer } from './optimizer.js';
import { requireParam, SlottedOptimizer } from './slotted-optimizer.js';

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
export class Sgd extends SlottedOptimizer {
  constructor(private readonly options: SgdOptions) {
    super('SGD', ['momentum_buffer']);
  }

  override apply({ params, grads, lr }: Parameters<Optimizer['apply']>[0]): void {
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
}
