import { describe, expect, it } from 'vitest';
import { evaluate, entropy, summarize } from '../../../runtime/train/evaluate.js';
import type { CollectedLogits } from '../../../runtime/train/collect-logits.js';
import { createTinyNetwork } from '../../helpers/tiny-network.js';
import * as tf from '../../../runtime/backend/tf.js';
import { generatedProblem } from './fixtures-run.js';
import { useCpuBackend } from './support.js';

useCpuBackend();

function collected(logits: number[][], labels: number[]): CollectedLogits {
  return {
    numClasses: logits[0].length,
    logits: Float32Array.from(logits.flat()),
    labels: Int32Array.from(labels),
    samples: labels.map((label, i) => ({ file: `x/${i}.png`, label })),
    batchSizes: [labels.length],
  };
}

describe('summarize', () => {
  const logits = [
    [2, 1, 0, -1],
    [0, 3, 0, 0],
    [1, 1, 1, 1],
    [0, 0, 0, 5],
  ];
  const labels = [0, 2, 3, 0];
  const result = summarize(collected(logits, labels), { classes: ['a', 'b', 'c', 'd'], split: 'test', epoch: 3 });

  it('computes accuracy, top-3 accuracy, loss and the confusion matrix', () => {
    const { evaluation } = result;
    expect(evaluation.accuracy).toBe(0.25);
    // image 1: class 2 ties class 0 and 3 at rank 1-3 (ties go to the lower index): rank 2 -> in top 3;
    // image 2: all tie, class 3 has rank 3 -> out; image 3: class 0 ties 1 and 2 behind 3 -> rank 1 -> in.
    expect(evaluation.top3_accuracy).toBe(0.75);
    const logSoftmax = (row: number[], c: number) => row[c] - Math.log(row.reduce((s, v) => s + Math.exp(v), 0));
    const expectedLoss = -labels.reduce((sum, label, i) => sum + logSoftmax(logits[i], label), 0) / labels.length;
    expect(evaluation.loss).toBeCloseTo(expectedLoss, 6);
    expect(evaluation.confusion).toEqual([
      [1, 0, 0, 1],
      [0, 0, 0, 0],
      [0, 1, 0, 0],
      [1, 0, 0, 0],
    ]);
    expect(evaluation.report.accuracy).toBe(0.25);
    expect(evaluation).toMatchObject({ epoch: 3, split: 'test' });
  });

  it('measures entropy as -sum p log p of the probabilities (uniform row = log C)', () => {
    expect(entropy([0.25, 0.25, 0.25, 0.25])).toBeCloseTo(Math.log(4), 12);
    expect(entropy([1, 0, 0])).toBe(0);
    const perImage = result.predictions.map((p) => entropy(p.probabilities));
    expect(result.evaluation.mean_entropy).toBeCloseTo(perImage.reduce((s, v) => s + v, 0) / 4, 12);
    expect(perImage[2]).toBeCloseTo(Math.log(4), 6);
  });

  it('lists per-image predictions with probabilities that sum to 1', () => {
    expect(result.predictions[1]).toMatchObject({ file: 'x/1.png', true_class: 2, predicted_class: 1 });
    for (const prediction of result.predictions) {
      expect(prediction.probabilities.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 12);
    }
  });
});

describe('evaluate', () => {
  it('runs the network in inference mode over a source without leaking tensors', async () => {
    const problem = generatedProblem();
    const network = createTinyNetwork({ channels: 3, numClasses: 3, dropout: 0.5, seed: 2 });
    const before = tf.memory().numTensors;
    const first = await evaluate({ network, source: problem.validation, classes: problem.classes, split: 'validation', epoch: 1 });
    const second = await evaluate({ network, source: problem.validation, classes: problem.classes, split: 'validation', epoch: 1 });
    expect(tf.memory().numTensors).toBe(before);
    expect(second).toEqual(first); // no dropout, no BatchNorm updates in inference mode
    expect(first.predictions).toHaveLength(48);
    expect(first.evaluation.report.per_class.map((s) => s.support)).toEqual([16, 16, 16]);
    network.dispose();
  });
});
