import type { RunConfig } from '../../../compiler/types/run-config.js';
import { generatedImages, MemoryBatchSource } from '../../helpers/memory-batch-source.js';

/** A small generated 3-class problem (8x8x3 images) with its train and validation sources. */
export function generatedProblem(options: { batchSize?: number; trainCount?: number; seed?: number } = {}) {
  const shape = [8, 8, 3] as const;
  const numClasses = 3;
  const seed = options.seed ?? 11;
  const train = generatedImages({ count: options.trainCount ?? 96, numClasses, size: 8, channels: 3, seed });
  const validation = generatedImages({ count: 48, numClasses, size: 8, channels: 3, seed: seed + 1000 });
  const batchSize = options.batchSize ?? 16;
  return {
    numClasses,
    classes: ['red', 'green', 'blue'],
    train: new MemoryBatchSource({ ...train, shape, batchSize, shuffleSeed: seed, prefix: 'train' }),
    validation: new MemoryBatchSource({ ...validation, shape, batchSize, shuffleSeed: null, prefix: 'val' }),
  };
}

export function runConfig(overrides: Partial<RunConfig> = {}): RunConfig {
  return {
    data: {
      root: 'data',
      train: 'train',
      test: null,
      validation: { fraction: 0.15, stratify: true },
      image_size: 32,
      batch_size: 16,
      eval_batch_size: 16,
      on_bad_image: 'error',
    },
    model: { arch: 'resnet18', pretrained: 'none', trainable_layers: 'all', dropout: 0 },
    augment: false,
    optimizer: { type: 'sgd', lr: 0.05, momentum: 0.9, nesterov: false, weight_decay: 1e-4 },
    schedule: { type: 'constant' },
    loss: { class_weights: 'none', label_smoothing: 0 },
    epochs: 4,
    select: 'val_accuracy',
    early_stopping: false,
    seed: 0,
    ...overrides,
  };
}
