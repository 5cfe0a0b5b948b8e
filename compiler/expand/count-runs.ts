import { canonicalJson } from '../plan/canonical-json.js';
import type { ExperimentSpec } from '../types/study.js';
import { axisValues } from '../rules/exclude-names-axes.js';

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
  if (experiment.search.method === 'random') return (BigInt(experiment.search.samples ?? 0) + includes) * repeats;
  const sizes = experiment.axes.map((axis) => BigInt(axis.kind === 'values' ? axis.values.length : axis.kind === 'variants' ? axis.variants.length : 0));
  const product = sizes.reduce((a, b) => a * b, 1n);
  return (product - countExcluded(sizes, excludeConstraints(experiment)) + includes) * repeats;
}

/** Combinations matching at least one constraint: inclusion-exclusion, pruning empty intersections. */
export function countExcluded(sizes: readonly bigint[], constraints: readonly Map<number, number>[]): bigint {
  const matching = (constraint: ReadonlyMap<number, number>) =>
    sizes.reduce((product, size, axis) => product * (constraint.has(axis) ? 1n : size), 1n);
  let total = 0n;
  const visit = (start: number, current: Map<number, number>, depth: number) => {
    for (let i = start; i < constraints.length; i++) {
      const merged = intersect(current, constraints[i]);
      if (!merged) continue;
      total += (depth % 2 === 0 ? 1n : -1n) * matching(merged);
      visit(i + 1, merged, depth + 1);
    }
  };
  visit(0, new Map(), 0);
  return total;
}

function intersect(a: ReadonlyMap<number, number>, b: ReadonlyMap<number, number>): Map<number, number> | undefined {
  const out = new Map(a);
  for (const [axis, choice] of b) {
    if (out.has(axis) && out.get(axis) !== choice) return undefined;
    out.set(axis, choice);
  }
  return out;
}
