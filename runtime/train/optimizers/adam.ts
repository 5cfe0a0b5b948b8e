import * as tf from '../../backend/tf.js';
import type { Optimizer } from './optimizer.js';
import { requireParam, SlottedOptimizer } from './slotted-optimizer.js';

export interface AdamOptions {
  readonly betas: readonly [number, number];
  readonly eps: number;
  readonly weightDecay: number;
  /** true: AdamW's decoupled decay `p *= 1 - lr * wd`; false: Adam's L2 `g += wd * p`. */
  readonly decoupled: boolean;
}

/**
 * torch.optim.Adam / AdamW (amsgrad off), in torch's order of operations:
 * `m = b1 m + (1 - b1) g`, `v = b2 v + (1 - b2) g^2`,
 * `p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)`.
 */
export class Adam extends SlottedOptimizer {
  constructor(private readonly options: AdamOptions) {
    super('Adam', ['exp_avg', 'exp_avg_sq']);
  }

  override apply({ params, grads, lr }: Parameters<Optimizer['apply']>[0]): void {
    const { betas, eps, weightDecay, decoupled } = this.options;
    const [beta1, beta2] = betas;
    const t = this.steps + 1;
    const stepSize = lr / (1 - beta1 ** t);
    const biasCorrection2Sqrt = Math.sqrt(1 - beta2 ** t);
    for (const [name, grad] of Object.entries(grads)) {
      const param = requireParam(params, name);
      tf.tidy(() => {
        let g: tf.Tensor = grad;
        let p: tf.Tensor = param;
        if (weightDecay !== 0) {
          if (decoupled) p = tf.mul(p, 1 - lr * weightDecay);
          else g = tf.add(g, tf.mul(p, weightDecay));
        }
        const m0 = this.slots.get(name, 'exp_avg') ?? tf.zerosLike(param);
        const v0 = this.slots.get(name, 'exp_avg_sq') ?? tf.zerosLike(param);
        const m = tf.add(tf.mul(m0, beta1), tf.mul(g, 1 - beta1));
        const v = tf.add(tf.mul(v0, beta2), tf.mul(tf.mul(g, g), 1 - beta2));
        this.slots.set(name, 'exp_avg', tf.keep(m));
        this.slots.set(name, 'exp_avg_sq', tf.keep(v));
        const denom = tf.add(tf.div(tf.sqrt(v), biasCorrection2Sqrt), eps);
        param.assign(tf.sub(p, tf.mul(tf.div(m, denom), stepSize)));
      });
    }
    this.steps = t;
  }
}
