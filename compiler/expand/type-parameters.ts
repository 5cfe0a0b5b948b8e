/**
 * The parameters each optimizer and schedule type has (besides `type`), and
 * the built-in defaults that fill the ones a run does not write.
 */
export const PARAMETERS_OF_TYPE: Readonly<Record<'optimizer' | 'schedule', Readonly<Record<string, readonly string[]>>>> = {
  optimizer: {
    sgd: ['lr', 'momentum', 'nesterov', 'weight_decay'],
    adam: ['lr', 'betas', 'eps', 'weight_decay'],
    adamw: ['lr', 'betas', 'eps', 'weight_decay'],
  },
  schedule: {
    constant: [],
    step: ['step_size', 'gamma'],
    cosine: ['start_lr', 'end_lr', 'cycle'],
  },
};

/** Built-in defaults per type (PyTorch's); required parameters (step_size, start_lr, end_lr) have none. */
export const TYPE_DEFAULTS: Readonly<Record<'optimizer' | 'schedule', Readonly<Record<string, Readonly<Record<string, unknown>>>>>> = {
  optimizer: {
    sgd: { lr: 0.01, momentum: 0, nesterov: false, weight_decay: 0 },
    adam: { lr: 0.01, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0 },
    adamw: { lr: 0.01, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0.01 },
  },
  schedule: {
    constant: {},
    step: { gamma: 0.1 },
    cosine: { cycle: 'epoch' },
  },
};
