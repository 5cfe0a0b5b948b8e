import type { BatchSource } from '../data/types.js';
import type { Network } from '../models/network.js';
import type { ImagePrediction, TestEvaluation } from '../results/records.js';
import { classificationReport, confusionMatrix } from './classification-report.js';
import { collectLogits, type CollectedLogits } from './collect-logits.js';
import { lossAndAccuracy, argMax } from './measure-split.js';
import type { TestResult } from './types.js';

export interface EvaluateOptions {
  readonly network: Network;
  readonly source: BatchSource;
  readonly classes: readonly string[];
  readonly split: 'test' | 'validation';
  /** The epoch whose weights the network holds (recorded, and passed to source.batches). */
  readonly epoch: number;
  /** Loss weights as in training; default none (plain cross-entropy). */
  readonly classWeights?: Float32Array | null;
  /** Default 0. */
  readonly labelSmoothing?: number;
}

/** Evaluates the network in inference mode over one pass of `source`: metrics, report and per-image predictions. */
export async function evaluate(options: EvaluateOptions): Promise<TestResult> {
  const collected = await collectLogits(options.network, options.source, options.epoch);
  return summarize(collected, options);
}

/** The pure part of evaluate: everything from the collected logits. */
export function summarize(
  collected: CollectedLogits,
  options: Pick<EvaluateOptions, 'classes' | 'split' | 'epoch' | 'classWeights' | 'labelSmoothing'>,
): TestResult {
  const { numClasses, logits, labels, samples } = collected;
  if (options.classes.length !== numClasses) {
    throw new Error(`evaluate: ${options.classes.length} class names for a ${numClasses}-class network`);
  }
  const measured = lossAndAccuracy(collected, {
    classWeights: options.classWeights ?? null,
    labelSmoothing: options.labelSmoothing ?? 0,
  });
  const predictedLabels = new Int32Array(labels.length);
  const predictions: ImagePrediction[] = [];
  let top3 = 0;
  let entropySum = 0;
  for (let i = 0; i < labels.length; i++) {
    const start = i * numClasses;
    const probabilities = softmax(logits.subarray(start, start + numClasses));
    const predicted = argMax(logits, start, numClasses);
    predictedLabels[i] = predicted;
    if (rankOf(logits, start, numClasses, labels[i]) < 3) top3 += 1;
    entropySum += entropy(probabilities);
    predictions.push({ file: samples[i].file, true_class: labels[i], predicted_class: predicted, probabilities });
  }
  const confusion = confusionMatrix(labels, predictedLabels, numClasses);
  const count = labels.length;
  const evaluation: TestEvaluation = {
    epoch: options.epoch,
    split: options.split,
    accuracy: measured.accuracy,
    loss: measured.loss,
    top3_accuracy: count === 0 ? NaN : top3 / count,
    mean_entropy: count === 0 ? NaN : entropySum / count,
    confusion,
    report: classificationReport(confusion, options.classes),
  };
  return { evaluation, predictions };
}

/** Softmax in float64. */
export function softmax(logits: ArrayLike<number>): number[] {
  let max = -Infinity;
  for (let c = 0; c < logits.length; c++) max = Math.max(max, logits[c]);
  const exps = Array.from(logits, (value) => Math.exp(value - max));
  const sum = exps.reduce((total, value) => total + value, 0);
  return exps.map((value) => value / sum);
}

/** -sum p log p in nats, with 0 log 0 = 0. */
export function entropy(probabilities: readonly number[]): number {
  let sum = 0;
  for (const p of probabilities) if (p > 0) sum -= p * Math.log(p);
  return sum;
}

/** How many classes score strictly higher than `label` (ties go to the lower index, as torch.topk's stable order). */
function rankOf(logits: ArrayLike<number>, start: number, numClasses: number, label: number): number {
  const own = logits[start + label];
  let rank = 0;
  for (let c = 0; c < numClasses; c++) {
    const value = logits[start + c];
    if (value > own || (value === own && c < label)) rank += 1;
  }
  return rank;
}
