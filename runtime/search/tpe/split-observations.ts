import type { SearchPoint } from '../../../compiler/types/search.js';

/**
 * What the model knows of one run of the experiment. `completed` runs have
 * their objective value; `stopped` runs (early termination) their last value
 * and how far they got; `pending` runs are proposed or running with no value
 * yet. Failed runs are left out of the model.
 */
export interface Observation {
  readonly run: string;
  readonly point: SearchPoint;
  readonly state: 'completed' | 'stopped' | 'pending';
  readonly value?: number;
  /** stopped: the epoch (rung) it stopped at; deeper counts as better. */
  readonly progress?: number;
}

/** Optuna's default gamma: the best 10% (rounded up, at most 25) of the finished runs make l(x). */
export function belowCount(finished: number): number {
  return Math.min(Math.ceil(0.1 * finished), 25);
}

/**
 * Optuna's split: completed runs by value, best first, fill the `below`
 * group; when they are too few, stopped runs follow (deeper first, then by
 * value), as Optuna ranks pruned trials. Everything else is `above`,
 * including pending runs: the constant liar (Ginsbourger et al. 2010, as
 * Optuna's constant_liar) counts a run in flight as a bad result, so
 * parallel proposals are pushed away from each other. Both groups keep the
 * observation order (older first), which the kernel weights use.
 */
export function splitObservations(observations: readonly Observation[], direction: 'maximize' | 'minimize'): { below: Observation[]; above: Observation[] } {
  const sign = direction === 'maximize' ? -1 : 1;
  const completed = observations.filter((o) => o.state === 'completed').sort((a, b) => sign * (a.value! - b.value!));
  const stopped = observations
    .filter((o) => o.state === 'stopped')
    .sort((a, b) => (b.progress ?? 0) - (a.progress ?? 0) || sign * ((a.value ?? 0) - (b.value ?? 0)));
  const n = belowCount(completed.length + stopped.length);
  const below = new Set([...completed, ...stopped].slice(0, n));
  return { below: observations.filter((o) => below.has(o)), above: observations.filter((o) => !below.has(o)) };
}
