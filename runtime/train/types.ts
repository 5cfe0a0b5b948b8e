import type * as tf from '@tensorflow/tfjs-core';
import type { RunConfig } from '../../compiler/types/run-config.js';
import type { EpochMetrics, ImagePrediction, RunFailure, TestEvaluation } from '../results/records.js';

/** Everything besides weights that a resumed run needs to continue exactly. */
export interface TrainingState {
  readonly epochsCompleted: number;
  readonly history: readonly EpochMetrics[];
  /** The epoch currently kept by `select`, and its monitored value. */
  readonly best: { readonly epoch: number; readonly value: number } | null;
  readonly epochsWithoutImprovement: number;
  /** Optimizer steps taken so far (drives per-iteration schedules and Adam's bias correction). */
  readonly step: number;
}

export interface BatchEndEvent {
  readonly epoch: number;
  readonly batch: number;
  readonly batches: number;
  readonly loss: number;
  readonly accuracy: number;
  readonly imagesPerSecond: number;
}

export interface EpochEndEvent {
  readonly metrics: EpochMetrics;
  readonly state: TrainingState;
  /** True when this epoch became the kept one. */
  readonly improved: boolean;
  /** The optimizer's slot tensors by `<parameter name>/<slot>`; owned by the optimizer, do not dispose. */
  readonly optimizerState: ReadonlyMap<string, tf.Tensor>;
}

/** Lifecycle hooks: logging, checkpoints and progress hang off these. Awaited in order. */
export interface TrainingHooks {
  onEpochBegin?(event: { readonly epoch: number; readonly lr: number }): void | Promise<void>;
  onBatchEnd?(event: BatchEndEvent): void | Promise<void>;
  onEpochEnd?(event: EpochEndEvent): void | Promise<void>;
}

export type TrainOutcome =
  | { readonly status: 'completed'; readonly state: TrainingState }
  | { readonly status: 'failed'; readonly state: TrainingState; readonly failure: RunFailure }
  | { readonly status: 'interrupted'; readonly state: TrainingState };

export interface TestResult {
  readonly evaluation: TestEvaluation;
  readonly predictions: readonly ImagePrediction[];
}

export type { RunConfig };
