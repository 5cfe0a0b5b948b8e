import type { EarlyStoppingConfig, SelectMetric } from '../../compiler/types/run-config.js';
import type { EpochMetrics } from '../results/records.js';

/**
 * Selection and early stopping as pure functions of the epoch history, so a
 * resumed run recomputes them from its stored metrics.
 */
type Monitor = 'val_accuracy' | 'val_loss';

/** The best epoch of `history` by `monitor` (ties: the first); non-finite values never win. */
export function bestEpoch(
  history: readonly EpochMetrics[],
  monitor: Monitor,
): { readonly epoch: number; readonly value: number } | null {
  let best: { epoch: number; value: number } | null = null;
  for (const metrics of history) {
    const value = metrics[monitor];
    if (!Number.isFinite(value)) continue;
    const better = best === null || (monitor === 'val_loss' ? value < best.value : value > best.value);
    if (better) best = { epoch: metrics.epoch, value };
  }
  return best;
}

/** The epoch whose weights `select` keeps; `last` reports that epoch's val_accuracy as its value. */
export function keptEpoch(
  history: readonly EpochMetrics[],
  select: SelectMetric,
): { readonly epoch: number; readonly value: number } | null {
  if (select !== 'last') return bestEpoch(history, select);
  const last = history[history.length - 1];
  return last === undefined ? null : { epoch: last.epoch, value: last.val_accuracy };
}

/**
 * Epochs since the monitored metric last improved (ignite's EarlyStopping
 * counter: an equal value is no improvement). The monitor is early_stopping's,
 * or the `select` metric when early stopping is off; 0 for `last`.
 */
export function epochsWithoutImprovement(
  history: readonly EpochMetrics[],
  select: SelectMetric,
  earlyStopping: EarlyStoppingConfig,
): number {
  const monitor: Monitor | null = earlyStopping !== false ? earlyStopping.monitor : select === 'last' ? null : select;
  if (monitor === null || history.length === 0) return 0;
  const best = bestEpoch(history, monitor);
  const lastEpoch = history[history.length - 1].epoch;
  return best === null ? history.length : lastEpoch - best.epoch;
}

/** True when early stopping ends the run after the last epoch of `history`. */
export function shouldStopEarly(
  history: readonly EpochMetrics[],
  select: SelectMetric,
  earlyStopping: EarlyStoppingConfig,
): boolean {
  if (earlyStopping === false) return false;
  return epochsWithoutImprovement(history, select, earlyStopping) >= earlyStopping.patience;
}
