/**
 * Asynchronous successive halving (ASHA; Li et al., MLSys 2020), as pure
 * functions over plain numbers. Ray Tune's ASHAScheduler (one bracket) is the
 * reference: test/runtime/search/fixtures/ray-asha-*.json hold its decisions
 * on recorded sequences (tools/asha-ray-reference.py), and these functions
 * must reproduce them. Reading the results store happens around them
 * (runtime/runner/early-termination.ts), so every runner, shard and Slurm task
 * that reads the same store takes the same decision.
 */

import type { EarlyTermination, EarlyTerminationMetric } from '../../compiler/types/plan.js';

export { ashaRungs } from '../../compiler/plan/early-termination-rungs.js';

export type AshaMetric = EarlyTerminationMetric;

/** An experiment's `early_termination` block, defaults filled in by the compiler. */
export type AshaRule = EarlyTermination;

/** `val_loss` is lower-is-better: ranked by its negation, as Ray ranks `mode: min` metrics. */
export function higherIsBetter(metric: AshaMetric): boolean {
  return metric !== 'val_loss';
}

export interface RungDecision {
  readonly action: 'continue' | 'stop';
  readonly rung: number;
  readonly metric: AshaMetric;
  /** The run's metric at the rung epoch. */
  readonly value: number;
  /** The value to reach (in the metric's own units); null when no other run had recorded the rung. */
  readonly cutoff: number | null;
  /** How many other runs' finite values at the rung the cutoff came from. */
  readonly count: number;
}

/**
 * Whether a run that just completed rung epoch `rung` with `value` goes on,
 * given the values `others` recorded at that rung by the experiment's other
 * runs so far (in any order). The cutoff is the (1 - 1/reduction_factor)
 * quantile of the others' values, linearly interpolated (numpy's percentile);
 * NaN and other non-finite values among the others are left out (numpy's
 * nanpercentile). The run continues when it is at least as good as the cutoff
 * (a tie continues), and always when no other run has a value yet. A run
 * whose own value is not finite stops: here Ray continues it (NaN < cutoff is
 * false), but a diverged run is the last one worth more epochs.
 */
export function decideAtRung(rule: AshaRule, rung: number, value: number, others: readonly number[]): RungDecision {
  const sign = higherIsBetter(rule.metric) ? 1 : -1;
  const scores = others.filter((v) => Number.isFinite(v)).map((v) => sign * v);
  const cutoffScore = scores.length === 0 ? null : percentile(scores, (1 - 1 / rule.reduction_factor) * 100);
  const score = sign * value;
  const stop = !Number.isFinite(score) || (cutoffScore !== null && score < cutoffScore);
  return {
    action: stop ? 'stop' : 'continue',
    rung,
    metric: rule.metric,
    value,
    cutoff: cutoffScore === null ? null : sign * cutoffScore,
    count: scores.length,
  };
}

/**
 * numpy.percentile(values, q) with the default linear method, including its
 * two-sided interpolation (numpy's _lerp), so that values equal to the cutoff
 * compare exactly as they do in Ray.
 */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new RangeError('percentile of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const index = (sorted.length - 1) * (q / 100);
  const below = Math.floor(index);
  const above = Math.min(below + 1, sorted.length - 1);
  const t = index - below;
  const a = sorted[below];
  const b = sorted[above];
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}
