import type { PlannedExperiment } from '../../compiler/types/plan.js';
import { searchProgress, type SearchProgress } from '../search/search-progress.js';
import type { StoredResults } from './read-results.js';

/**
 * A model-based search's runs in the order they were drawn or proposed, with
 * the best value so far and what each proposal was proposed from (pure, over
 * the stored results); none for other experiments.
 */
export function searchSection(results: StoredResults, experiment: PlannedExperiment): { search?: SearchProgress } {
  if (!experiment.search) return {};
  const [progress] = searchProgress({ ...results.plan, experiments: [experiment] }, results.proposals ?? new Map(), (run, metric) => {
    const stored = results.runs[run];
    const status = stored?.record?.status ?? 'pending';
    const kept = status === 'completed' ? stored!.metrics.find((m) => m.epoch === stored!.record!.best_epoch) ?? stored!.metrics.at(-1) : undefined;
    const value = kept?.[metric];
    return { status, value: value !== undefined && Number.isFinite(value) ? value : null };
  });
  return { search: progress };
}
