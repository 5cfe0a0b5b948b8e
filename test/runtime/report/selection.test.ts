import { describe, expect, it } from 'vitest';
import { compareScores, keptEpoch, selectionRule } from '../../../runtime/report/selection.js';
import { aggregate } from '../../../runtime/report/aggregate.js';
import type { EpochMetrics } from '../../../runtime/results/records.js';

const epoch = (n: number, val_accuracy: number, val_loss: number): EpochMetrics => ({
  epoch: n, train_loss: 1, train_accuracy: 0.5, val_loss, val_accuracy, lr: 0.1, lr_end: 0.1, seconds: 1, images_per_second: 1,
});
const history = [epoch(1, 0.5, 0.9), epoch(2, 0.7, 0.6), epoch(3, 0.7, 0.5), epoch(4, 0.6, 0.7)];

describe('keptEpoch', () => {
  it('follows select, earliest on ties', () => {
    expect(keptEpoch(history, 'val_accuracy', undefined)?.epoch).toBe(2);
    expect(keptEpoch(history, 'val_loss', undefined)?.epoch).toBe(3);
    expect(keptEpoch(history, 'last', undefined)?.epoch).toBe(4);
  });

  it('takes the recorded best epoch when it is stored, and nothing from no epochs', () => {
    expect(keptEpoch(history, 'val_accuracy', 3)?.epoch).toBe(3);
    expect(keptEpoch(history, 'val_accuracy', 9)?.epoch).toBe(2);
    expect(keptEpoch([], 'val_accuracy', 1)).toBeNull();
  });
});

describe('compareScores', () => {
  it('sorts accuracy down, loss up, missing scores last', () => {
    const byAccuracy = [0.5, null, 0.9, 0.7].sort((a, b) => compareScores(selectionRule('val_accuracy'), a, b));
    expect(byAccuracy).toEqual([0.9, 0.7, 0.5, null]);
    const byLoss = [0.5, null, 0.9, 0.7].sort((a, b) => compareScores(selectionRule('val_loss'), a, b));
    expect(byLoss).toEqual([0.5, 0.7, 0.9, null]);
    expect(selectionRule('last')).toEqual({ select: 'last', metric: 'val_accuracy', order: 'descending' });
  });
});

describe('aggregate', () => {
  it('is the mean and sample std of the present values', () => {
    expect(aggregate([1, 2, null, 3])).toEqual({ mean: 2, std: 1, n: 3 });
    expect(aggregate([4, null])).toEqual({ mean: 4, std: null, n: 1 });
    expect(aggregate([null])).toBeNull();
  });
});
