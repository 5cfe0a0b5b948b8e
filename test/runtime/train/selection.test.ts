import { describe, expect, it } from 'vitest';
import type { EpochMetrics } from '../../../runtime/results/records.js';
import { bestEpoch, epochsWithoutImprovement, keptEpoch, shouldStopEarly } from '../../../runtime/train/selection.js';

const history: EpochMetrics[] = [
  [0.5, 1.2],
  [0.7, 0.9],
  [0.7, 0.8],
  [0.6, NaN],
  [0.65, 0.85],
].map(([acc, loss], i) => ({
  epoch: i + 1, train_loss: 1, train_accuracy: 0.5, val_loss: loss, val_accuracy: acc, lr: 0.1, lr_end: 0.1, seconds: 1, images_per_second: 1,
}));

describe('selection', () => {
  it('keeps the first epoch among ties and never a non-finite value', () => {
    expect(keptEpoch(history, 'val_accuracy')).toEqual({ epoch: 2, value: 0.7 });
    expect(keptEpoch(history, 'val_loss')).toEqual({ epoch: 3, value: 0.8 });
    expect(keptEpoch(history, 'last')).toEqual({ epoch: 5, value: 0.65 });
    expect(keptEpoch([], 'last')).toBeNull();
    expect(bestEpoch(history.slice(3, 4), 'val_loss')).toBeNull();
  });

  it('counts epochs without improvement like ignite (equal is not better)', () => {
    expect(epochsWithoutImprovement(history, 'val_accuracy', false)).toBe(3);
    expect(epochsWithoutImprovement(history, 'val_accuracy', { monitor: 'val_loss', patience: 2 })).toBe(2);
    expect(epochsWithoutImprovement(history, 'last', false)).toBe(0);
    expect(shouldStopEarly(history, 'val_accuracy', { monitor: 'val_loss', patience: 2 })).toBe(true);
    expect(shouldStopEarly(history, 'val_accuracy', { monitor: 'val_loss', patience: 3 })).toBe(false);
    expect(shouldStopEarly(history, 'val_accuracy', false)).toBe(false);
  });
});
