import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { RunConfig } from '../types/run-config.js';
import type { Assignment, ExperimentSpec } from '../types/study.js';
import { axisChoices, cellOf, shortLabels, type AxisChoice } from './axis-choices.js';
import { checkRun, type ProblemSink } from './check-run.js';
import { applyAssignment, type ConfigState } from './config-state.js';
import { excludeConstraints } from './count-runs.js';
import { sampleRandom } from './sample-random.js';
import { expandTpe } from '../search/expand-tpe.js';
import type { PlannedSearch } from '../types/search.js';

export type Cell = string | number | boolean | null;

/** One run of one experiment, before cross-experiment dedupe. */
export interface ExpandedRun {
  readonly id: string;
  readonly name: string;
  readonly axes: Readonly<Record<string, Cell>>;
  readonly config: RunConfig;
  /** An include run (its coincidence with a matrix run is reported here, not as SAME_CONFIG). */
  readonly include: boolean;
}

export interface ExpandContext {
  /** Built-in defaults with the study's base layers applied. */
  readonly base: ConfigState;
  readonly baseAssignments: readonly Assignment[];
  readonly finalize: (state: ConfigState) => RunConfig;
  readonly hash: (config: RunConfig) => string;
  readonly sink: ProblemSink;
}

/** All runs of one experiment in a stable order: grid (first axis slowest) or samples, then includes; repeats innermost. */
export function expandExperiment(experiment: ExperimentSpec, context: ExpandContext): { runs: ExpandedRun[]; diagnostics: Diagnostic[]; search?: PlannedSearch } {
  if (experiment.search.method === 'tpe') return { ...expandTpe(experiment, context), diagnostics: [] };
  const runs: ExpandedRun[] = [];
  const diagnostics: Diagnostic[] = [];
  const start = experiment.defaults.reduce((state, a) => applyAssignment(state, a), context.base);
  // The layers of the run being checked, replayed only when a check fails (see checkRun).
  let chosen: readonly AxisChoice[] = [];
  let included: readonly Assignment[] | undefined;
  const layers = () => [...context.baseAssignments, ...experiment.defaults, ...(included ?? chosen.flatMap((c) => c.assignments))];
  const emit = (state: ConfigState, name: string, axes: Record<string, Cell>, include: boolean) => {
    const config = context.finalize(state);
    if (!checkRun({ config, repeats: experiment.repeats, memo: context.sink.memo }, layers, { experiment, name, sink: context.sink })) return;
    for (let r = 0; r < experiment.repeats; r++) {
      const seeded = r === 0 ? config : { ...config, seed: config.seed + r };
      runs.push({
        id: context.hash(seeded),
        name: r === 0 ? name : `${name}#${r + 1}`,
        axes: experiment.repeats > 1 ? { ...axes, repeat: r + 1 } : axes,
        config: seeded,
        include,
      });
    }
  };
  const labels = experiment.axes.map((axis) => axis.label);
  // states[d]: the state after the first d axes; only the axes from the first changed one are re-applied.
  const states: ConfigState[] = [start];
  const visit = (picked: readonly AxisChoice[], changedFrom: number) => {
    for (let d = changedFrom; d < picked.length; d++) {
      let state = states[d];
      for (const a of picked[d].assignments) state = applyAssignment(state, a);
      states[d + 1] = state;
    }
    const axes: Record<string, Cell> = {};
    const names: string[] = [];
    for (let i = 0; i < picked.length; i++) {
      axes[labels[i]] = picked[i].cell;
      names.push(picked[i].nameText);
    }
    chosen = picked;
    emit(states[picked.length], names.join(',') || 'default', axes, false);
  };
  if (experiment.search.method === 'random') for (const picked of sampleRandom(experiment)) visit(picked, 0);
  else gridCombos(experiment, visit);
  const gridIds = experiment.include.length > 0 ? new Map(runs.map((run) => [run.id, run.name])) : new Map<string, string>();
  for (const entry of experiment.include) {
    const state = entry.assignments.reduce((s, a) => applyAssignment(s, a), start);
    const before = runs.length;
    const axes = Object.fromEntries(experiment.axes.map((axis) => [axis.label, axis.kind === 'variants' ? entry.name : cellOf(valueAt(state, axis.path))]));
    included = entry.assignments;
    emit(state, entry.name, axes, true);
    const twin = runs.length > before ? gridIds.get(runs[before].id) : undefined;
    if (twin !== undefined) {
      diagnostics.push({
        code: 'INCLUDE_DUPLICATES_RUN',
        severity: 'warning',
        message: `include ${entry.name} resolves to the same configuration as run ${twin} of experiment ${experiment.name}; it is planned once`,
        file: entry.origin.file,
        path: entry.origin.path,
        range: entry.origin.range,
      });
    }
  }
  return { runs, diagnostics };
}

/**
 * Grid combinations in odometer order (last axis fastest), exclusions
 * skipped: `visit(picked, changedFrom)` gets the chosen point of every axis
 * (one array, updated in place: read it during the call only) and the first
 * axis that changed since the previous combination.
 */
function gridCombos(experiment: ExperimentSpec, visit: (picked: readonly AxisChoice[], changedFrom: number) => void): void {
  const short = shortLabels(experiment);
  const choices = experiment.axes.map((axis) => axisChoices(axis, short.get(axis.label)!));
  if (choices.some((list) => list.length === 0)) return;
  const constraints = excludeConstraints(experiment).map((c) => [...c]);
  const index = choices.map(() => 0);
  const picked = choices.map((list) => list[0]);
  let changedFrom = 0;
  for (;;) {
    if (constraints.length === 0 || !constraints.some((c) => c.every(([axis, choice]) => index[axis] === choice))) {
      for (let axis = changedFrom; axis < index.length; axis++) picked[axis] = choices[axis][index[axis]];
      visit(picked, changedFrom);
      changedFrom = index.length;
    }
    let axis = index.length - 1;
    while (axis >= 0 && ++index[axis] === choices[axis].length) index[axis--] = 0;
    if (axis < 0) return;
    changedFrom = Math.min(changedFrom, axis);
  }
}

function valueAt(state: ConfigState, path: readonly string[]): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], state);
}
