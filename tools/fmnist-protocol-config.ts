import type { RunConfig } from '../compiler/types/run-config.js';

/** The seed's final protocol at 32 px, from scratch, as one RunConfig (issue 5's comparison run). */
export function protocolConfig(seed = 0, epochs = 8): RunConfig {
  return {
    data: {
      root: '.',
      train: 'train',
      test: 'test',
      validation: { fraction: 0.15, stratify: true },
      image_size: 32,
      batch_size: 32,
      eval_batch_size: 16,
      on_bad_image: 'error',
    },
    model: { arch: 'resnet18', pretrained: 'none', trainable_layers: 'all', dropout: 0.4 },
    augment: false,
    optimizer: { type: 'sgd', lr: 7e-3, momentum: 0.9, nesterov: false, weight_decay: 1e-3 },
    schedule: { type: 'step', step_size: 4, gamma: 0.5 },
    loss: { class_weights: 'none', label_smoothing: 0 },
    epochs,
    select: 'val_accuracy',
    early_stopping: false,
    seed,
  };
}
