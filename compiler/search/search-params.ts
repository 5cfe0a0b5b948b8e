import { axisChoices, shortLabels } from '../expand/axis-choices.js';
import type { SearchParam } from '../types/search.js';
import type { ExperimentSpec } from '../types/study.js';

/**
 * The matrix axes of an experiment as search dimensions, in written order:
 * uniform and loguniform are floats (log-scaled for loguniform), int is an
 * integer range, and lists, `choice` and variant axes are categorical.
 */
export function searchParams(experiment: ExperimentSpec): SearchParam[] {
  const short = shortLabels(experiment);
  return experiment.axes.map((axis): SearchParam => {
    const name = short.get(axis.label)!;
    if (axis.kind === 'distribution') {
      if (axis.distribution === 'int') return { kind: 'int', label: axis.label, short: name, path: axis.path, low: axis.low, high: axis.high };
      return { kind: 'float', label: axis.label, short: name, path: axis.path, low: axis.low, high: axis.high, log: axis.distribution === 'loguniform' };
    }
    const choices = axisChoices(axis, name).map((choice) => ({
      cell: choice.cell,
      nameText: choice.nameText,
      assignments: choice.assignments.map((a) => ({ path: a.path, value: a.value })),
    }));
    return { kind: 'categorical', label: axis.label, short: name, choices };
  });
}

/** A point drawn uniformly from the space with `next` (one number in [0, 1) per param, in order): the random-search draw. */
export function drawPoint(params: readonly SearchParam[], next: () => number): Record<string, number> {
  const point: Record<string, number> = {};
  for (const param of params) {
    const u = next();
    if (param.kind === 'categorical') point[param.label] = Math.min(param.choices.length - 1, Math.floor(u * param.choices.length));
    else if (param.kind === 'int') point[param.label] = Math.min(param.high, param.low + Math.floor(u * (param.high - param.low + 1)));
    else if (param.log) point[param.label] = Math.exp(Math.log(param.low) + (Math.log(param.high) - Math.log(param.low)) * u);
    else point[param.label] = param.low + (param.high - param.low) * u;
  }
  return point;
}
