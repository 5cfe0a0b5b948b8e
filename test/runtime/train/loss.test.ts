import { describe, expect, it } from 'vitest';
import * as tf from '../../../runtime/backend/tf.js';
import { crossEntropy, crossEntropyFromLogProbs, logSoftmaxRows } from '../../../runtime/train/loss.js';
import { expectClose, flat, readFixture, useCpuBackend } from './support.js';

interface Fixture {
  logits: number[][];
  labels: number[];
  cases: { class_weights: number[] | null; label_smoothing: number; loss: number; grad: number[][] }[];
}
const fixture = readFixture<Fixture>('loss.json');
useCpuBackend();

describe('cross-entropy matches torch.nn.functional.cross_entropy', () => {
  for (const { class_weights: weights, label_smoothing: smoothing, loss, grad } of fixture.cases) {
    const label = `weights ${weights === null ? 'none' : weights.join(',')}, label_smoothing ${smoothing}`;

    it(`tfjs loss and gradient, ${label}`, () => {
      const logits = tf.variable(tf.tensor2d(fixture.logits));
      const labels = tf.tensor1d(fixture.labels, 'int32');
      const classWeights = weights === null ? null : tf.tensor1d(weights);
      const { value, grads } = tf.variableGrads(() => crossEntropy(logits, labels, classWeights, smoothing), [logits]);
      expectClose([value.dataSync()[0]], [loss], 1e-5, 0, 'loss');
      expectClose(grads[logits.name].dataSync(), flat(grad), 1e-5, 1e-8, 'gradient');
      tf.dispose([logits, labels, value, grads[logits.name], ...(classWeights === null ? [] : [classWeights])]);
    });

    it(`float64 evaluation loss, ${label}`, () => {
      const numClasses = fixture.logits[0].length;
      const logProbs = logSoftmaxRows(flat(fixture.logits), numClasses);
      const options = { classWeights: weights === null ? null : Float32Array.from(weights), labelSmoothing: smoothing };
      expectClose([crossEntropyFromLogProbs(logProbs, fixture.labels, numClasses, options)], [loss], 1e-5, 0, 'loss');
    });
  }

  it('weights change the loss (the fixture is not degenerate)', () => {
    const [plain, , , weighted] = fixture.cases;
    expect(Math.abs(plain.loss - weighted.loss)).toBeGreaterThan(1e-3);
  });
});
