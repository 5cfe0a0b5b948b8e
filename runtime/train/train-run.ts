import * as tf from '../backend/tf.js';
import type { BatchSource } from '../data/types.js';
import type { Network } from '../models/network.js';
import type { EpochMetrics, RunFailure } from '../results/records.js';
import { epochLearningRates } from './learning-rate.js';
import { measureSplit } from './measure-split.js';
import { createOptimizer } from './optimizers/create-optimizer.js';
import type { Optimizer } from './optimizers/optimizer.js';
import { epochsWithoutImprovement, keptEpoch, shouldStopEarly } from './selection.js';
import { trainEpoch } from './train-epoch.js';
import type { RunConfig, TrainingHooks, TrainingState, TrainOutcome } from './types.js';
import { WeightsSnapshot } from './weights-snapshot.js';

export interface TrainResume {
  readonly state: TrainingState;
  /** The optimizer's slots as EpochEndEvent.optimizerState gave them (copied in). */
  readonly optimizerState: ReadonlyMap<string, tf.Tensor>;
  /**
   * The kept epoch's weights (trainable parameters, BatchNorm buffers) by
   * state_dict name; required when state.best is an earlier epoch than the
   * last completed one, since the network then holds the last epoch's weights.
   */
  readonly bestWeights?: ReadonlyMap<string, tf.Tensor>;
}

export interface TrainRunOptions {
  readonly config: RunConfig;
  readonly network: Network;
  readonly train: BatchSource;
  readonly validation: BatchSource;
  /** Per-class loss weights (see computeClassWeights), or null. */
  readonly classWeights: Float32Array | null;
  readonly hooks?: TrainingHooks;
  /** Continue after `state.epochsCompleted`; the caller has loaded that epoch's weights into the network. */
  readonly resume?: TrainResume;
  /** Aborting abandons the current step's epoch and returns 'interrupted' with the last completed epoch's state. */
  readonly signal?: AbortSignal;
  readonly seed: number;
}

/**
 * Trains `config.epochs` epochs (or until early stopping) and validates after
 * each. On return, whatever the status, the network holds the weights of the
 * epoch `select` kept (when one was kept; otherwise the weights at return), so
 * the caller can evaluate them directly. Every random stream is a pure
 * function of `seed` and indices, and the optimizer's slots and step count are
 * restored on resume, so a resumed run repeats an uninterrupted one exactly.
 */
export async function trainRun(options: TrainRunOptions): Promise<TrainOutcome> {
  const { config, network } = options;
  const hooks = options.hooks ?? {};
  const optimizer = createOptimizer(config.optimizer);
  const kept = new WeightsSnapshot();
  const classWeights = options.classWeights === null ? null : tf.keep(tf.tensor1d(options.classWeights, 'float32'));
  const lossOptions = { classWeights: options.classWeights, labelSmoothing: config.loss.label_smoothing };
  let state = options.resume?.state ?? initialState();
  try {
    if (options.resume !== undefined) restore(options.resume, optimizer, kept, network);
    const stepsPerEpoch = options.train.numBatches;
    if (options.train.numSamples === 0) throw new Error('the training split has no images');
    if (options.validation.numSamples === 0) throw new Error('the validation split has no images');
    for (let epoch = state.epochsCompleted + 1; epoch <= config.epochs; epoch++) {
      if (options.signal?.aborted) return { status: 'interrupted', state };
      const { lr, lrEnd } = epochLearningRates(epoch, stepsPerEpoch, config);
      await hooks.onEpochBegin?.({ epoch, lr });
      const started = performance.now();
      const trained = await trainEpoch({
        network, optimizer, source: options.train, epoch, schedule: config, seed: options.seed,
        classWeights, labelSmoothing: config.loss.label_smoothing, hooks, signal: options.signal,
      });
      if (trained.kind === 'interrupted') return { status: 'interrupted', state };
      if (trained.kind === 'non-finite') {
        return { status: 'failed', state, failure: nonFinite(epoch, trained.step, `training loss is ${trained.loss}`) };
      }
      const validation = await measureSplit(network, options.validation, epoch, lossOptions);
      if (!Number.isFinite(validation.loss)) {
        return { status: 'failed', state, failure: nonFinite(epoch, optimizer.step, `validation loss is ${validation.loss}`) };
      }
      const seconds = (performance.now() - started) / 1000;
      const metrics: EpochMetrics = {
        epoch,
        train_loss: trained.loss,
        train_accuracy: trained.accuracy,
        val_loss: validation.loss,
        val_accuracy: validation.accuracy,
        lr,
        lr_end: lrEnd,
        seconds,
        images_per_second: trained.samples / trained.seconds,
      };
      const history = [...state.history, metrics];
      const best = keptEpoch(history, config.select);
      const improved = best?.epoch === epoch;
      if (improved) kept.capture(network);
      state = {
        epochsCompleted: epoch,
        history,
        best,
        epochsWithoutImprovement: epochsWithoutImprovement(history, config.select, config.early_stopping),
        step: optimizer.step,
      };
      await hooks.onEpochEnd?.({ metrics, state, improved, optimizerState: optimizer.getState() });
      if (shouldStopEarly(history, config.select, config.early_stopping)) break;
    }
    return { status: 'completed', state };
  } finally {
    if (!kept.isEmpty) kept.restore(network);
    kept.clear();
    optimizer.dispose();
    classWeights?.dispose();
  }
}

function initialState(): TrainingState {
  return { epochsCompleted: 0, history: [], best: null, epochsWithoutImprovement: 0, step: 0 };
}

function restore(resume: TrainResume, optimizer: Optimizer, kept: WeightsSnapshot, network: Network): void {
  optimizer.setState(resume.optimizerState, resume.state.step);
  const best = resume.state.best;
  if (best === null) return;
  if (resume.bestWeights !== undefined) kept.load(network, resume.bestWeights);
  else if (best.epoch === resume.state.epochsCompleted) kept.capture(network);
  else {
    throw new Error(
      `resume: epoch ${best.epoch} is the kept one but the network holds epoch ${resume.state.epochsCompleted}; pass resume.bestWeights`,
    );
  }
}

function nonFinite(epoch: number, step: number, detail: string): RunFailure {
  return { code: 'NON_FINITE_LOSS', message: `${detail} at epoch ${epoch}, step ${step}`, epoch, step };
}
