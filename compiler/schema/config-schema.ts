import { ARCH_NAMES } from '../types/run-config.js';
import { boolean, described, finiteNumber, integer, object, oneOfStrings, pair, type JsonSchema } from './json-schema.js';

/**
 * The settings a spec can write (in `data`, `defaults`, experiment `defaults`,
 * axes and bundles), as written: every field optional, value ranges checked
 * at the node that wrote them. Cross-field rules live in compiler/rules.
 */
const unit = finiteNumber('A fraction in [0, 1).', { minimum: 0, exclusiveMaximum: 1 });
const positiveRate = (what: string) => finiteNumber(what, { exclusiveMinimum: 0 });
const countAtLeastOne = (what: string) => integer(what, { minimum: 1 });

export const DATA_SCHEMA = object('The image dataset: an ImageFolder tree <root>/<split>/<class>/<image>.', {
  root: { description: 'Dataset root folder, relative to the spec file that writes it. Required.', type: 'string', minLength: 1 },
  train: { description: 'Training split folder under root (default train).', type: 'string', minLength: 1 },
  test: {
    description: 'Test split folder under root, or null for none (default: test when <root>/test exists).',
    type: ['string', 'null'],
    minLength: 1,
  },
  validation: object('Validation split: a stratified fraction of train, or a folder under root.', {
    fraction: finiteNumber('Share of the training images held out for validation, in (0, 1) (default 0.15).', {
      exclusiveMinimum: 0,
      exclusiveMaximum: 1,
    }),
    stratify: boolean('Hold out the same fraction of every class (default true).'),
    dir: { description: 'A validation folder under root instead of a held-out fraction.', type: 'string', minLength: 1 },
  }),
  image_size: integer('Side in pixels fed to the model (default 224); evaluation resizes to round(size*256/224) and center-crops.', { minimum: 32 }),
  batch_size: countAtLeastOne('Training batch size (default 32).'),
  eval_batch_size: countAtLeastOne('Batch size for validation and test (default 32).'),
  on_bad_image: oneOfStrings('An image that cannot be decoded: error fails the run, skip leaves it out and counts it (default error).', [
    'error',
    'skip',
  ]),
});

export const MODEL_SCHEMA = object('The network.', {
  arch: oneOfStrings('Architecture (default resnet18).', ARCH_NAMES),
  pretrained: {
    description: 'Initial weights: imagenet, none (default), or a path to a weights file or checkpoint relative to the spec file.',
    type: 'string',
    minLength: 1,
  },
  trainable_layers: {
    description: 'How many of the last convolution layers train (with their BatchNorm), besides the new head; 0 = head only; all (default).',
    anyOf: [
      { type: 'integer', minimum: 0 },
      { type: 'string', const: 'all' },
    ],
  },
  dropout: described('Dropout before the new classifier, in [0, 1) (default 0).', { type: 'number', minimum: 0, exclusiveMaximum: 1 }),
});

const CROP_SCHEMA = object('Random resized crop parameters (torchvision RandomResizedCrop).', {
  scale: pair('Area range of the crop relative to the image, two numbers in (0, 1], ascending (default [0.08, 1]).', {
    type: 'number',
    exclusiveMinimum: 0,
    maximum: 1,
  }),
  ratio: pair('Aspect-ratio range of the crop, two positive numbers, ascending (default [0.75, 1.3333333333333333]).', {
    type: 'number',
    exclusiveMinimum: 0,
  }),
});

export const AUGMENT_OBJECT_SCHEMA = object('Training-time augmentation; omitted parts are off.', {
  random_resized_crop: {
    description: 'false (off), true (torchvision defaults) or the crop parameters.',
    anyOf: [{ type: 'boolean' }, CROP_SCHEMA],
  },
  horizontal_flip: boolean('Flip half of the images left-right (default false).'),
  rotation: finiteNumber('Rotate by a uniform angle in [-rotation, rotation] degrees, in [0, 180] (default 0).', { minimum: 0, maximum: 180 }),
});

export const OPTIMIZER_SCHEMA = object('The optimizer, with PyTorch semantics. Changing type drops the parameters the new type lacks.', {
  type: oneOfStrings('sgd (default), adam or adamw.', ['sgd', 'adam', 'adamw']),
  lr: positiveRate('Learning rate, > 0 (default 0.01).'),
  momentum: finiteNumber('sgd only: momentum in [0, 1] (default 0).', { minimum: 0, maximum: 1 }),
  nesterov: boolean('sgd only: Nesterov momentum (default false).'),
  betas: pair('adam and adamw: the two decay rates, each in [0, 1) (default [0.9, 0.999]).', unit),
  eps: positiveRate('adam and adamw: epsilon, > 0 (default 1e-8).'),
  weight_decay: finiteNumber('L2 added to the gradient (sgd, adam) or decoupled (adamw), >= 0 (default 0; adamw 0.01).', { minimum: 0 }),
});

export const SCHEDULE_SCHEMA = object('The learning-rate schedule. Changing type drops the parameters the new type lacks.', {
  type: oneOfStrings('constant (default), step or cosine.', ['constant', 'step', 'cosine']),
  step_size: countAtLeastOne('step: epochs between decays (required for step).'),
  gamma: finiteNumber('step: decay factor in (0, 1] (default 0.1).', { exclusiveMinimum: 0, maximum: 1 }),
  start_lr: positiveRate('cosine: learning rate at the start of each cycle (required for cosine).'),
  end_lr: positiveRate('cosine: learning rate at the end of each cycle (required for cosine).'),
  cycle: oneOfStrings('cosine: epoch restarts the half-cosine every epoch (default), run anneals once.', ['epoch', 'run']),
});

export const LOSS_SCHEMA = object('Cross-entropy loss options.', {
  class_weights: oneOfStrings('none (default), complement (1 - n_c/N) or balanced (N / (C * n_c)).', ['none', 'complement', 'balanced']),
  label_smoothing: finiteNumber('Label smoothing in [0, 1) (default 0).', { minimum: 0, exclusiveMaximum: 1 }),
});

export const EARLY_STOPPING_OBJECT_SCHEMA = object('Stop when the monitored metric has not improved for patience epochs.', {
  monitor: oneOfStrings('val_loss (default) or val_accuracy.', ['val_loss', 'val_accuracy']),
  patience: countAtLeastOne('Epochs without improvement before stopping (default 3).'),
});

/** Every setting of a run, as a spec may write it (all optional). */
export const CONFIG_PATCH_SCHEMA = object('Settings of a run; every key optional.', {
  data: DATA_SCHEMA,
  model: MODEL_SCHEMA,
  augment: { description: 'false (default) or an augmentation object.', anyOf: [{ type: 'boolean', const: false }, AUGMENT_OBJECT_SCHEMA] },
  optimizer: OPTIMIZER_SCHEMA,
  schedule: SCHEDULE_SCHEMA,
  loss: LOSS_SCHEMA,
  epochs: countAtLeastOne('Training epochs (default 10).'),
  select: oneOfStrings('Which epoch is kept and tested: val_accuracy (default), val_loss or last.', ['val_accuracy', 'val_loss', 'last']),
  early_stopping: {
    description: 'false (default) or an early-stopping object.',
    anyOf: [{ type: 'boolean', const: false }, EARLY_STOPPING_OBJECT_SCHEMA],
  },
  seed: integer('Seed of every random stream of the run, an integer in [0, 2^32) (default 0).', { minimum: 0, maximum: 4294967295 }),
});
