/**
 * What an experiment's early termination (ASHA) did, for the report: its
 * rule and rungs, how many runs it stopped, and the epochs trained against a
 * full sweep ("trained 87 of 243 epochs, 36%"). Pure.
 */
import { ashaRungs } from '../../compiler/plan/early-termination-rungs.js';
import type { PlannedExperiment, PlannedRun } from '../../compiler/types/plan.js';
import type { EarlyTerminationSummary, RunRow } from './report-model.js';

export function earlyTerminationSummary(
  experiment: PlannedExperiment,
  runs: readonly PlannedRun[],
  rows: readonly Pick<RunRow, 'status' | 'epochs_run' | 'epochs_planned'>[],
): EarlyTerminationSummary | null {
  const rule = experiment.early_termination;
  if (!rule) return null;
  const rungs = [...new Set(runs.flatMap((run) => ashaRungs(rule, run.config.epochs)))].sort((a, b) => a - b);
  const epochsTrained = rows.reduce((sum, row) => sum + Math.min(row.epochs_run, row.epochs_planned), 0);
  const epochsFull = rows.reduce((sum, row) => sum + row.epochs_planned, 0);
  const stopped = rows.filter((row) => row.status === 'stopped').length;
  const percent = epochsFull === 0 ? 0 : Math.round((100 * epochsTrained) / epochsFull);
  const text =
    `Early termination: ASHA on ${rule.metric}, reduction factor ${rule.reduction_factor}, ` +
    `${rungs.length ? `rungs at epochs ${rungs.join(', ')}` : 'no rung below the runs\u2019 epochs'}; ` +
    `${stopped} of ${rows.length} runs stopped early; trained ${epochsTrained} of ${epochsFull} epochs, ${percent}%.`;
  return {
    metric: rule.metric,
    min_epochs: rule.min_epochs,
    reduction_factor: rule.reduction_factor,
    rungs,
    stopped_runs: stopped,
    epochs_trained: epochsTrained,
    epochs_full: epochsFull,
    percent,
    text,
  };
}
