import type { OptimizerConfig } from '../../../compiler/types/run-config.js';
import { Adam } from './adam.js';
import type { Optimizer } from './optimizer.js';
import { Sgd } from './sgd.js';

/** The optimizer a run's config names, with PyTorch's update rules. */
export function createOptimizer(config: OptimizerConfig): Optimizer {
  switch (config.type) {
    case 'sgd':
      return new Sgd({ momentum: config.momentum, nesterov: config.nesterov, weightDecay: config.weight_decay });
    case 'adam':
    case 'adamw':
      return new Adam({
        betas: config.betas,
        eps: config.eps,
        weightDecay: config.weight_decay,
        decoupled: config.type === 'adamw',
      });
  }
}

export type { Optimizer } from './optimizer.js';
