import type * as tf from '@tensorflow/tfjs-core';

/** One image of a split: a POSIX path relative to the data root and its class index. */
export interface ImageSample {
  readonly file: string;
  readonly label: number;
}

export interface SkippedImage {
  readonly file: string;
  readonly reason: string;
}

/** The scanned, split dataset of one run. Class indices follow `classes` (sorted folder names, torchvision's order). */
export interface DatasetSplits {
  /** Absolute path of the data root. */
  readonly root: string;
  readonly classes: readonly string[];
  readonly train: readonly ImageSample[];
  readonly validation: readonly ImageSample[];
  readonly test: readonly ImageSample[] | null;
  /** Content hash over every used file's path, label and bytes digest, and the split. */
  readonly fingerprint: string;
  /** Images skipped under `on_bad_image: skip`. */
  readonly skipped: readonly SkippedImage[];
}

/**
 * One batch as the training loop consumes it. `inputs` is the network's frozen
 * prefix output for these images (NHWC images when nothing is frozen), so the
 * loop always calls `network.forwardSuffix(inputs, ...)`. The consumer disposes `inputs`.
 */
export interface Batch {
  readonly inputs: tf.Tensor;
  readonly labels: Int32Array;
  readonly samples: readonly ImageSample[];
}

export interface BatchSource {
  readonly numSamples: number;
  readonly numBatches: number;
  /** Batches of one epoch (1-based); the train role shuffles and augments as a pure function of (seed, epoch). */
  batches(epoch: number): AsyncIterable<Batch>;
}
