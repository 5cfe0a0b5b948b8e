/**
 * One experiment's comparison table: a row per run, and with repeats a row
 * per configuration (mean ± std over seeds), sorted by the selection metric.
 */
import type { PlannedExperiment, PlannedRun } from '../../compiler/types/plan.js';
import type { StoredRun } from './read-results.js';
import type { AxisValue, GroupRow, RunRow, SelectionRule } from './report-model.js';
import type { RunStatus } from '../results/records.js';
import { aggregate } from './aggregate.js';
import { compareScores, keptEpoch } from './selection.js';

export const REPEAT_AXIS = 'repeat';

export function runValues(experiment: PlannedExperiment, run: PlannedRun): Record<string, AxisValue> {
  const assigned = run.axes?.[experiment.name] ?? {};
  const values: Record<string, AxisValue> = {};
  for (const axis of experiment.axes) values[axis] = assigned[axis] ?? null;
  return values;
}

/** Axes (without `repeat`) on which the experiment's runs differ, in plan order. */
export function varyingAxes(experiment: PlannedExperiment, runs: readonly PlannedRun[]): string[] {
  return experiment.axes.filter((axis) => {
    if (axis === REPEAT_AXIS) return false;
    const seen = new Set(runs.map((run) => JSON.stringify(runValues(experiment, run)[axis])));
    return seen.size > 1;
  });
}

export function buildRunRow(
  experiment: PlannedExperiment,
  planned: PlannedRun,
  stored: StoredRun | undefined,
  rule: SelectionRule,
): Omit<RunRow, 'is_best'> {
  const record = stored?.record ?? null;
  const metrics = stored?.metrics ?? [];
  const kept = keptEpoch(metrics, planned.config.select, record?.best_epoch);
  const evaluation = stored?.evaluation ?? null;
  const seconds = metrics.map((m) => m.seconds);
  return {
    id: planned.id,
    name: planned.name,
    values: runValues(experiment, planned),
    status: record?.status ?? 'pending',
    seed: planned.config.seed,
    best_epoch: kept?.epoch ?? null,
    best_val_accuracy: kept?.val_accuracy ?? null,
    val_loss_at_best: kept?.val_loss ?? null,
    test_accuracy: evaluation?.accuracy ?? null,
    macro_f1: evaluation?.report?.macro_avg?.f1 ?? null,
    epochs_run: Math.max(record?.epochs_completed ?? 0, metrics.length),
    epochs_planned: planned.config.epochs,
    seconds_per_epoch: seconds.length ? seconds.reduce((a, b) => a + b, 0) / seconds.length : null,
    score: kept ? (rule.metric === 'val_loss' ? kept.val_loss : kept.val_accuracy) : null,
    ...(record?.status === 'stopped' ? { stopped_at: record.early_termination?.rung ?? record.epochs_completed } : {}),
  };
}

/**
 * Sorted best first; the first row with a score is marked best. Runs stopped
 * by early termination rank after the others that have a score (a run at epoch
 * 1 is no fair rival of one trained to the end), so one is best only when the
 * experiment has nothing else.
 */
export function rankRuns(rows: readonly Omit<RunRow, 'is_best'>[], rule: SelectionRule): RunRow[] {
  const tier = (row: Omit<RunRow, 'is_best'>) => (row.score === null ? 2 : row.stopped_at !== undefined ? 1 : 0);
  const sorted = [...rows].sort((a, b) => tier(a) - tier(b) || compareScores(rule, a.score, b.score));
  return sorted.map((row, index) => ({ ...row, is_best: index === 0 && row.score !== null }));
}

export function groupLabel(values: Readonly<Record<string, AxisValue>>): string {
  const parts = Object.entries(values)
    .filter(([axis]) => axis !== REPEAT_AXIS)
    .map(([axis, value]) => `${axis}=${value === null ? '-' : String(value)}`);
  return parts.length ? parts.join(', ') : 'all runs';
}

/** One row per configuration: the runs that differ only in `repeat`. */
export function buildGroupRows(rows: readonly RunRow[], rule: SelectionRule): GroupRow[] {
  const byKey = new Map<string, RunRow[]>();
  const order = [...rows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const row of order) {
    const key = groupLabel(row.values);
    byKey.set(key, [...(byKey.get(key) ?? []), row]);
  }
  const groups = [...byKey.entries()].map(([label, members]): Omit<GroupRow, 'is_best'> => {
    const values = Object.fromEntries(Object.entries(members[0].values).filter(([axis]) => axis !== REPEAT_AXIS));
    const status_counts: Partial<Record<RunStatus, number>> = {};
    for (const m of members) status_counts[m.status] = (status_counts[m.status] ?? 0) + 1;
    const scoreAggregate = aggregate(members.map((m) => m.score));
    return {
      label,
      values,
      run_ids: members.map((m) => m.id),
      status_counts,
      best_val_accuracy: aggregate(members.map((m) => m.best_val_accuracy)),
      val_loss_at_best: aggregate(members.map((m) => m.val_loss_at_best)),
      test_accuracy: aggregate(members.map((m) => m.test_accuracy)),
      macro_f1: aggregate(members.map((m) => m.macro_f1)),
      // Over the runs with at least one epoch, like the metrics (a pending run's 0 is no measurement).
      epochs_run: aggregate(members.map((m) => (m.score === null ? null : m.epochs_run))),
      seconds_per_epoch: aggregate(members.map((m) => m.seconds_per_epoch)),
      score: scoreAggregate ? scoreAggregate.mean : null,
    };
  });
  const sorted = groups.sort((a, b) => compareScores(rule, a.score, b.score) || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  return sorted.map((group, index) => ({ ...group, is_best: index === 0 && group.score !== null }));
}
