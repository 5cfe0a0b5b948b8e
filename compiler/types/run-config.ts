/**
 * The fully resolved configuration of one run: the only thing the runtime sees
 * of a spec. Every field is present and every default filled in, so a RunConfig
 * is the same shape as a spec's `defaults` block with nothing optional.
 * It is plain JSON; its canonical serialisation is what a run id hashes.
 */

export type ArchName = 'resnet18' | 'resnet34' | 'resnet50' | 'squeezenet1_1';
export const ARCH_NAMES: readonly ArchName[] = ['resnet18', 'resnet34', 'resnet50', 'squeezenet1_1'];

/** Convolution-layer counts in torchvision module order (the language spec's numbers). */
export const CONV_LAYER_COUNTS: Readonly<Record<ArchName, number>> = {
  resnet18: 20,
  resnet34: 36,
  resnet50: 53,
  squeezenet1_1: 26,
};

export type ValidationConfig =
  | { readonly fraction: number; readonly stratify: boolean }
  | { readonly dir: string };

export interface DataConfig {
  /** POSIX path of the ImageFolder root, relative to the directory of the spec file named in the plan. */
  readonly root: string;
  readonly train: string;
  /** Folder of the test split under root; null when the study has none. */
  readonly test: string | null;
  readonly validation: ValidationConfig;
  readonly image_size: number;
  readonly batch_size: number;
  readonly eval_batch_size: number;
  /** What to do with an image that cannot be decoded: fail the run, or skip it and count it. */
  readonly on_bad_image: 'error' | 'skip';
}

export interface ModelConfig {
  readonly arch: ArchName;
  /** 'imagenet' | 'none' | a weights file path (POSIX, relative to the directory of the spec file named in the plan). */
  readonly pretrained: string;
  readonly trainable_layers: number | 'all';
  readonly dropout: number;
}

export interface RandomResizedCropConfig {
  readonly scale: readonly [number, number];
  readonly ratio: readonly [number, number];
}

export type AugmentConfig =
  | false
  | {
      readonly random_resized_crop: RandomResizedCropConfig | false;
      readonly horizontal_flip: boolean;
      /** Degrees; a uniform angle in [-rotation, rotation], zero fill. */
      readonly rotation: number;
    };

export type OptimizerConfig =
  | { readonly type: 'sgd'; readonly lr: number; readonly momentum: number; readonly nesterov: boolean; readonly weight_decay: number }
  | { readonly type: 'adam'; readonly lr: number; readonly betas: readonly [number, number]; readonly eps: number; readonly weight_decay: number }
  | { readonly type: 'adamw'; readonly lr: number; readonly betas: readonly [number, number]; readonly eps: number; readonly weight_decay: number };

export type ScheduleConfig =
  | { readonly type: 'constant' }
  | { readonly type: 'step'; readonly step_size: number; readonly gamma: number }
  | { readonly type: 'cosine'; readonly start_lr: number; readonly end_lr: number; readonly cycle: 'epoch' | 'run' };

export interface LossConfig {
  readonly class_weights: 'none' | 'complement' | 'balanced';
  readonly label_smoothing: number;
}

export type EarlyStoppingConfig = false | { readonly monitor: 'val_loss' | 'val_accuracy'; readonly patience: number };

export type SelectMetric = 'val_accuracy' | 'val_loss' | 'last';

export interface RunConfig {
  readonly data: DataConfig;
  readonly model: ModelConfig;
  readonly augment: AugmentConfig;
  readonly optimizer: OptimizerConfig;
  readonly schedule: ScheduleConfig;
  readonly loss: LossConfig;
  readonly epochs: number;
  readonly select: SelectMetric;
  readonly early_stopping: EarlyStoppingConfig;
  readonly seed: number;
}
