import type { RunPlan } from '../../compiler/types/plan.js';
import { readEpochMetrics } from '../results/metrics-log.js';
import { readRunRecord } from '../results/record-file.js';
import { runPaths, specPaths } from '../results/run-paths.js';
import type { RunStatusRow } from '../runner/sweep-status.js';
import type { ProposalRecord } from './proposal-record.js';
import { searchProgress, type RunOutcome, type SearchProgress } from './search-progress.js';

/** searchProgress over the stored results: statuses from `status`'s rows, objectives from each completed run's metrics at its kept epoch. */
export async function readSearchProgress(
  plan: RunPlan,
  proposals: ReadonlyMap<string, readonly ProposalRecord[]>,
  resultsDir: string,
  rows: readonly RunStatusRow[],
): Promise<SearchProgress[]> {
  const spec = specPaths(resultsDir, plan.name);
  const byId = new Map(rows.map((row) => [row.id, row]));
  const outcomes = new Map<string, { status: string; kept: Record<string, number> | undefined }>();
  for (const id of new Set(plan.experiments.filter((e) => e.search).flatMap((e) => e.runs))) {
    const status = byId.get(id)?.status ?? 'pending';
    let kept: Record<string, number> | undefined;
    if (status === 'completed') {
      const paths = runPaths(spec, id);
      const [record, metrics] = await Promise.all([readRunRecord(paths.record), readEpochMetrics(paths.metrics)]);
      kept = (metrics.find((m) => m.epoch === record?.best_epoch) ?? metrics.at(-1)) as unknown as Record<string, number> | undefined;
    }
    outcomes.set(id, { status, kept });
  }
  return searchProgress(plan, proposals, (run, metric): RunOutcome => {
    const known = outcomes.get(run);
    const value = known?.kept?.[metric];
    return { status: known?.status ?? 'pending', value: value !== undefined && Number.isFinite(value) ? value : null };
  });
}
