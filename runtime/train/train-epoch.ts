import type * as tf from '../backend/tf.js';
import type { BatchSource } from '../data/types.js';
import type { Network } from '../models/network.js';
import { deriveSeed } from '../random.js';
import { learningRate, type ScheduleInput } from './learning-rate.js';
import type { Optimizer } from './optimizers/optimizer.js';
import { trainStep } from './train-step.js';
import type { TrainingHooks } from './types.js';

export interface TrainEpochOptions {
  readonly network: Network;
  readonly optimizer: Optimizer;
  readonly source: BatchSource;
  /** 1-based. */
  readonly epoch: number;
  readonly schedule: ScheduleInput;
  readonly seed: number;
  readonly classWeights: tf.Tensor1D | null;
  readonly labelSmoothing: number;
  readonly hooks: TrainingHooks;
  readonly signal?: AbortSignal;
}

export type TrainEpochResult =
  | { readonly kind: 'done'; readonly loss: number; readonly accuracy: number; readonly samples: number; readonly seconds: number }
  | { readonly kind: 'interrupted' }
  | { readonly kind: 'non-finite'; readonly step: number; readonly loss: number };

/**
 * One pass over the training batches. The global step (schedule position,
 * Adam's t) is the optimizer's step count; the dropout seed of a batch is
 * deriveSeed(seed, 'dropout', epoch, batch). Loss and accuracy are averaged over
 * the epoch's samples (each batch's mean loss weighted by its size).
 */
export async function trainEpoch(options: TrainEpochOptions): Promise<TrainEpochResult> {
  const { network, optimizer, source, epoch } = options;
  const stepsPerEpoch = source.numBatches;
  const started = performance.now();
  let lossSum = 0;
  let correct = 0;
  let samples = 0;
  let batchIndex = 0;
  for await (const batch of source.batches(epoch)) {
    try {
      if (options.signal?.aborted) return { kind: 'interrupted' };
      const step = optimizer.step;
      const result = trainStep({
        network,
        optimizer,
        batch,
        lr: learningRate(step, stepsPerEpoch, options.schedule),
        classWeights: options.classWeights,
        labelSmoothing: options.labelSmoothing,
        dropoutSeed: deriveSeed(options.seed, 'dropout', epoch, batchIndex),
      });
      if (!result.applied) return { kind: 'non-finite', step: step + 1, loss: result.loss };
      const size = batch.labels.length;
      lossSum += result.loss * size;
      correct += result.correct;
      samples += size;
      batchIndex += 1;
      await options.hooks.onBatchEnd?.({
        epoch,
        batch: batchIndex,
        batches: stepsPerEpoch,
        loss: result.loss,
        accuracy: result.correct / size,
        imagesPerSecond: samples / ((performance.now() - started) / 1000),
      });
    } finally {
      batch.inputs.dispose();
    }
  }
  if (samples === 0) throw new Error(`epoch ${epoch}: the training source yielded no images`);
  return { kind: 'done', loss: lossSum / samples, accuracy: correct / samples, samples, seconds: (performance.now() - started) / 1000 };
}
