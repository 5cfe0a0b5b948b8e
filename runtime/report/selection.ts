/**
 * Which epoch a run keeps and the number its comparison table is sorted by,
 * following the run's `select` setting: the kept epoch's validation accuracy
 * (val_accuracy, last) or validation loss (val_loss).
 */
import type { SelectMetric } from '../../compiler/types/run-config.js';
import type { EpochMetrics } from '../results/records.js';
import type { SelectionRule } from './report-model.js';

export function selectionRule(select: SelectMetric): SelectionRule {
  return select === 'val_loss'
    ? { select, metric: 'val_loss', order: 'ascending' }
    : { select, metric: 'val_accuracy', order: 'descending' };
}

/**
 * The kept epoch's metrics: the record's best_epoch when it names a stored
 * epoch, else what `select` picks from the epochs so far (earliest on ties).
 */
export function keptEpoch(
  metrics: readonly EpochMetrics[],
  select: SelectMetric,
  recordedBest: number | undefined,
): EpochMetrics | null {
  if (metrics.length === 0) return null;
  const recorded = recordedBest === undefined ? undefined : metrics.find((m) => m.epoch === recordedBest);
  if (recorded) return recorded;
  if (select === 'last') return metrics[metrics.length - 1];
  let best = metrics[0];
  for (const m of metrics) {
    const better = select === 'val_loss' ? m.val_loss < best.val_loss : m.val_accuracy > best.val_accuracy;
    if (better) best = m;
  }
  return best;
}

/** Sorts best first by score; rows without a score keep their order after the rest. */
export function compareScores(rule: SelectionRule, a: number | null, b: number | null): number {
  if (a === null || b === null) return a === null ? (b === null ? 0 : 1) : -1;
  return rule.order === 'descending' ? b - a : a - b;
}
