import { describe, expect, it } from 'vitest';
import type { PlannedExperiment, PlannedRun } from '../../../compiler/types/plan.js';
import { rankRuns } from '../../../runtime/report/comparison-table.js';
import { earlyTerminationSummary } from '../../../runtime/report/early-termination-summary.js';
import type { RunRow } from '../../../runtime/report/report-model.js';
import { selectionRule } from '../../../runtime/report/selection.js';

const row = (id: string, score: number | null, stopped_at?: number): Omit<RunRow, 'is_best'> => ({
  id, name: id, values: {}, status: stopped_at ? 'stopped' : score === null ? 'pending' : 'completed', seed: 0,
  best_epoch: 1, best_val_accuracy: score, val_loss_at_best: null, test_accuracy: null, macro_f1: null,
  epochs_run: stopped_at ?? (score === null ? 0 : 9), epochs_planned: 9, seconds_per_epoch: null, score,
  ...(stopped_at ? { stopped_at } : {}),
});

describe('stopped runs in the comparison', () => {
  const rule = selectionRule('val_accuracy');

  it('rank after the runs with a score, even with a higher score at their rung', () => {
    const ranked = rankRuns([row('a', 0.5), row('s', 0.9, 1), row('b', 0.7), row('p', null)], rule);
    expect(ranked.map((r) => [r.id, r.is_best])).toEqual([['b', true], ['a', false], ['s', false], ['p', false]]);
  });

  it('give the best run when the experiment has nothing else', () => {
    const ranked = rankRuns([row('s1', 0.4, 1), row('s2', 0.6, 3), row('p', null)], rule);
    expect(ranked.map((r) => [r.id, r.is_best])).toEqual([['s2', true], ['s1', false], ['p', false]]);
  });
});

describe('earlyTerminationSummary', () => {
  const runs = [9, 9, 12].map((epochs, i) => ({ id: `r${i}`, config: { epochs } }) as unknown as PlannedRun);
  const experiment = { name: 'e', title: 'e', axes: [], runs: ['r0', 'r1', 'r2'], early_termination: { type: 'asha', metric: 'val_accuracy', min_epochs: 1, reduction_factor: 3 } } as PlannedExperiment;

  it('counts the epochs trained against a full sweep and lists the rungs of every run length', () => {
    const rows = [row('r0', 0.8), row('r1', 0.2, 1), { ...row('r2', 0.3, 3), epochs_planned: 12 }];
    expect(earlyTerminationSummary(experiment, runs, rows)).toEqual({
      metric: 'val_accuracy', min_epochs: 1, reduction_factor: 3, rungs: [1, 3, 9], stopped_runs: 2,
      epochs_trained: 13, epochs_full: 30, percent: 43,
      text: 'Early termination: ASHA on val_accuracy, reduction factor 3, rungs at epochs 1, 3, 9; 2 of 3 runs stopped early; trained 13 of 30 epochs, 43%.',
    });
  });

  it('is null for an experiment without early termination', () => {
    expect(earlyTerminationSummary({ ...experiment, early_termination: undefined }, runs, [])).toBeNull();
  });
});
