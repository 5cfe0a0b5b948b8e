import { checkRun } from '../expand/check-run.js';
import { applyAssignment } from '../expand/config-state.js';
import type { ExpandContext, ExpandedRun } from '../expand/expand-experiment.js';
import { seededRandom } from '../expand/seeded-random.js';
import type { PlannedSearch } from '../types/search.js';
import type { Assignment, ExperimentSpec } from '../types/study.js';
import { resolvePoint } from './resolve-point.js';
import { drawPoint, searchParams } from './search-params.js';
import { tpeSettings } from './tpe-settings.js';

/**
 * A tpe experiment at compile time: its `startup` seeded random draws as
 * planned runs (the same draws random search makes with that seed), and the
 * search the runtime proposes the remaining `samples - startup` runs from.
 */
export function expandTpe(experiment: ExperimentSpec, context: ExpandContext): { runs: ExpandedRun[]; search: PlannedSearch } {
  const settings = tpeSettings(experiment.search);
  const start = experiment.defaults.reduce((state, a) => applyAssignment(state, a), context.base);
  const base = context.finalize(start);
  const params = searchParams(experiment);
  const origins = new Map(experiment.axes.map((axis) => [axis.label, axis.origin]));
  const next = seededRandom(settings.seed);
  const runs: ExpandedRun[] = [];
  const draws: PlannedSearch['draws'][number][] = [];
  for (let k = 0; k < settings.startup; k++) {
    const resolved = resolvePoint({ base, params }, drawPoint(params, next));
    const axisLayers = (): Assignment[] =>
      [...resolved.applied].flatMap(([label, list]) => list.map((a) => ({ ...a, origin: origins.get(label)! })));
    const layers = () => [...context.baseAssignments, ...experiment.defaults, ...axisLayers()];
    if (!checkRun({ config: resolved.config, repeats: 1, memo: context.sink.memo }, layers, { experiment, name: resolved.name, sink: context.sink })) continue;
    runs.push({ id: resolved.id, name: resolved.name, axes: resolved.cells, config: resolved.config, include: false });
    draws.push({ run: resolved.id, point: resolved.point });
  }
  const metric = base.select === 'val_loss' ? 'val_loss' : 'val_accuracy';
  return {
    runs,
    search: {
      method: 'tpe',
      ...settings,
      objective: { metric, direction: metric === 'val_loss' ? 'minimize' : 'maximize' },
      params,
      base,
      draws,
    },
  };
}
