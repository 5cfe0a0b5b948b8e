import { canonicalJson } from '../plan/canonical-json.js';
import type { ExperimentSpec } from '../types/study.js';
import { axisValues } from './axis-choices.js';

/** Exclude entries as (axis index -> choice index) constraints; entries naming nothing that exists match nothing. */
export function excludeConstraints(experiment: ExperimentSpec): Map<number, number>[] {
  const out: Map<number, number>[] = [];
  for (const entry of experiment.exclude) {
    const constraint = new Map<number, number>();
    let valid = true;
    for (const match of entry) {
      const axisIndex = experiment.axes.findIndex((axis) => axis.label === match.label);
      const choice = axisIndex < 0 ? -1 : (axisValues(experiment.axes[axisIndex]) ?? []).indexOf(canonicalJson(match.value));
      const previous = constraint.get(axisIndex);
      if (choice < 0 || (previous !== undefined && previous !== choice)) valid = false;
      constraint.set(axisIndex, choice);
    }
    if (valid) out.push(constraint);
  }
  return out;
}

/**
 * The number of runs of an experiment, computed without materialising any:
 * (product of axis sizes - excluded combinations + includes) * repeats for
 * grid search, (samples + includes) * repeats for random search. Excluded
 * combinations are counted by inclusion-exclusion over the exclude entries.
 */
export function countRuns(experiment: ExperimentSpec): bigint {
  const repeats = BigInt(experiment.repeats);
  const includes = BigInt(experiment.include.length);
  if (experiment.search.method !== 'grid') return (BigInt(experiment.search.samples ?? 0) + includes) * repeats;
  const sizes = experiment.axes.map((axis) => BigInt(axis.kind === 'values' ? axis.values.length : axis.kind === 'variants' ? axis.variants.length : 0));
  const product = sizes.reduce((a, b) => a * b, 1n);
  return (product - countExcluded(sizes, excludeConstraints(experiment)) + includes) * repeats;
}

const INCLUSION_EXCLUSION_BUDGET = 20_000;
const ENUMERATION_LIMIT = 2_000_000n;

/**
 * Combinations matching at least one constraint: inclusion-exclusion,
 * pruning empty intersections. Many mutually compatible entries could make
 * that exponential: past a budget, small products are enumerated instead,
 * and beyond that the count is the upper bound sum of the entries (so the
 * run count is a lower bound, which is all a refusal needs).
 */
export function countExcluded(sizes: readonly bigint[], constraints: readonly Map<number, number>[]): bigint {
  const matching = (constraint: ReadonlyMap<number, number>) =>
    sizes.reduce((product, size, axis) => product * (constraint.has(axis) ? 1n : size), 1n);
  let total = 0n;
  let steps = 0;
  const visit = (start: number, current: Map<number, number>, depth: number): boolean => {
    for (let i = start; i < constraints.length; i++) {
      if (++steps > INCLUSION_EXCLUSION_BUDGET) return false;
      const merged = intersect(current, constraints[i]);
      if (!merged) continue;
      total += (depth % 2 === 0 ? 1n : -1n) * matching(merged);
      if (!visit(i + 1, merged, depth + 1)) return false;
    }
    return true;
  };
  if (visit(0, new Map(), 0)) return total;
  const product = sizes.reduce((a, b) => a * b, 1n);
  if (product <= ENUMERATION_LIMIT) return enumerateExcluded(sizes.map(Number), constraints);
  return constraints.reduce((sum, constraint) => sum + matching(constraint), 0n);
}

function enumerateExcluded(sizes: readonly number[], constraints: readonly Map<number, number>[]): bigint {
  const entries = constraints.map((c) => [...c]);
  const index = sizes.map(() => 0);
  let excluded = 0n;
  for (;;) {
    if (entries.some((entry) => entry.every(([axis, choice]) => index[axis] === choice))) excluded++;
    let axis = index.length - 1;
    while (axis >= 0 && ++index[axis] === sizes[axis]) index[axis--] = 0;
    if (axis < 0) return excluded;
  }
}

function intersect(a: ReadonlyMap<number, number>, b: ReadonlyMap<number, number>): Map<number, number> | undefined {
  const out = new Map(a);
  for (const [axis, choice] of b) {
    if (out.has(axis) && out.get(axis) !== choice) return undefined;
    out.set(axis, choice);
  }
  return out;
}
