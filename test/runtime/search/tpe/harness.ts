import { seededRandom } from '../../../../compiler/expand/seeded-random.js';
import { drawPoint } from '../../../../compiler/search/search-params.js';
import type { SearchParam, SearchPoint } from '../../../../compiler/types/search.js';
import { proposeTpe } from '../../../../runtime/search/tpe/propose.js';
import type { Observation } from '../../../../runtime/search/tpe/split-observations.js';

export interface Problem {
  readonly params: readonly SearchParam[];
  /** Minimised. */
  readonly f: (point: SearchPoint) => number;
  /** Removes the params that do not apply at a point (conditional spaces); default none. */
  readonly active?: (point: SearchPoint) => SearchPoint;
}

/**
 * A sequential search without training: the first `startup` points are the
 * compiler's seeded draws (what a tpe experiment plans), the rest proposals
 * (tpe) or further draws of the same stream (random search). Returns each
 * evaluated value in order.
 */
export function runSearch(problem: Problem, method: 'tpe' | 'random', options: { seed: number; budget: number; startup: number }): number[] {
  const next = seededRandom(options.seed);
  const active = problem.active ?? ((p: SearchPoint) => p);
  const observations: Observation[] = [];
  const values: number[] = [];
  for (let slot = 0; slot < options.budget; slot++) {
    const raw =
      method === 'random' || slot < options.startup
        ? drawPoint(problem.params, next)
        : proposeTpe({
            params: problem.params, direction: 'minimize', candidates: 24, startup: options.startup, seed: options.seed, slot,
            observations, finished: observations.length,
          }).point;
    const point = active(raw);
    const value = problem.f(point);
    observations.push({ run: `r${slot}`, point, state: 'completed', value });
    values.push(value);
  }
  return values;
}

/** Evaluations until the best value is within `regret` of the optimum (budget + 1 when never). */
export function evaluationsToRegret(values: readonly number[], optimum: number, regret: number): number {
  const hit = values.findIndex((v) => v - optimum <= regret);
  return hit < 0 ? values.length + 1 : hit + 1;
}
