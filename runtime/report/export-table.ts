/**
 * The comparison tables for pandas and spreadsheets. CSV: one row per run per
 * experiment (a run shared by two experiments appears in both), the union of
 * the varying axes as columns, raw numbers (fractions, seconds), RFC 4180
 * quoting, and text cells that a spreadsheet would run as a formula
 * (= + - @) prefixed with a quote. With repeats, `configuration` names the
 * group of seeds and `best_configuration` marks the runs of the best group. JSON: the tables as in the report model.
 */
import type { AxisValue, ReportModel } from './report-model.js';

const METRIC_COLUMNS = [
  'best_epoch', 'best_val_accuracy', 'val_loss_at_best', 'test_accuracy', 'macro_f1',
  'epochs_run', 'epochs_planned', 'seconds_per_epoch', 'is_best',
] as const;

export function comparisonCsv(model: ReportModel): string {
  const axes: string[] = [];
  for (const section of model.experiments) for (const axis of section.varying_axes) if (!axes.includes(axis)) axes.push(axis);
  const header = ['experiment', 'run_id', 'run', 'status', 'seed', ...axes, 'configuration', ...METRIC_COLUMNS, 'best_configuration'];
  const lines = [header.map(csvCell).join(',')];
  for (const section of model.experiments) {
    const bestGroup = section.groups.find((g) => g.is_best);
    for (const row of section.rows) {
      const group = section.groups.find((g) => g.run_ids.includes(row.id));
      const cells: (AxisValue | undefined)[] = [
        section.name, row.id, row.name, row.status, row.seed,
        ...axes.map((axis) => (section.varying_axes.includes(axis) ? row.values[axis] : null)),
        group?.label ?? row.name,
        ...METRIC_COLUMNS.map((column) => row[column]),
        section.repeats ? (bestGroup?.run_ids.includes(row.id) ?? false) : null,
      ];
      lines.push(cells.map(csvCell).join(','));
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}

export function comparisonJson(model: ReportModel): string {
  const tables = {
    version: 1,
    spec: model.summary.spec,
    name: model.summary.name,
    experiments: model.experiments.map(({ curves: _curves, ...section }) => section),
  };
  return `${JSON.stringify(tables, null, 2)}\n`;
}

function csvCell(value: AxisValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
