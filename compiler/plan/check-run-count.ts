import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { countRuns } from '../expand/count-runs.js';
import type { ExperimentStudy } from '../types/study.js';

/** Count every experiment's runs (no run is materialised) and refuse a study above the limit with the exact count. */
export function checkRunCount(study: ExperimentStudy, maxRuns: number): { total: bigint; diagnostics: Diagnostic[] } {
  const counts = study.experiments.map((experiment) => ({ experiment, count: countRuns(experiment) }));
  const total = counts.reduce((sum, { count }) => sum + count, 0n);
  if (total <= BigInt(maxRuns)) return { total, diagnostics: [] };
  const largest = counts.reduce((a, b) => (b.count > a.count ? b : a));
  const breakdown = counts.map(({ experiment, count }) => `${experiment.name}: ${count}`).join(', ');
  return {
    total,
    diagnostics: [
      {
        code: 'TOO_MANY_RUNS',
        severity: 'error',
        message: `the study expands to ${total} runs (${breakdown}), above the limit of ${maxRuns}; shrink the matrix or raise --max-runs`,
        file: largest.experiment.origin.file,
        path: largest.experiment.origin.path,
        range: largest.experiment.origin.range,
      },
    ],
  };
}
