import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { runId } from '../plan/canonical-json.js';
import type { RunConfig } from '../types/run-config.js';
import type { Assignment, ExperimentSpec } from '../types/study.js';
import { axisChoices, cellOf, shortLabels, type AxisChoice } from './axis-choices.js';
import { applyAssignment, type ConfigState } from './config-state.js';
import { excludeConstraints } from './count-runs.js';
import { finalizeConfig, type FinalizeOptions } from './finalize-config.js';
import { checkRun, type ProblemSink } from './check-run.js';
import { sampleRandom } from './sample-random.js';

export type Cell = string | number | boolean | null;

/** One run of one experiment, before cross-experiment dedupe. */
export interface ExpandedRun {
  readonly id: string;
  readonly name: string;
  readonly axes: Readonly<Record<string, Cell>>;
  readonly config: RunConfig;
}

export interface ExpandContext {
  /** Built-in defaults with the study's base layers applied. */
  readonly base: ConfigState;
  readonly baseAssignments: readonly Assignment[];
  readonly finalize: FinalizeOptions;
  readonly sink: ProblemSink;
}

/** All runs of one experiment in a stable order: grid (first axis slowest) or samples, then includes; repeats innermost. */
export function expandExperiment(experiment: ExperimentSpec, context: ExpandContext): { runs: ExpandedRun[]; diagnostics: Diagnostic[] } {
  const runs: ExpandedRun[] = [];
  const diagnostics: Diagnostic[] = [];
  const start = experiment.defaults.reduce((state, a) => applyAssignment(state, a), context.base);
  const emit = (state: ConfigState, picked: readonly AxisChoice[], name: string, cells: Record<string, Cell>, chosen: () => Assignment[]) => {
    const config = finalizeConfig(state, context.finalize);
    const ok = checkRun({ config, repeats: experiment.repeats }, () => [...context.baseAssignments, ...experiment.defaults, ...chosen()], { experiment, name, sink: context.sink });
    if (!ok) return;
    for (let r = 0; r < experiment.repeats; r++) {
      const seeded = r === 0 ? config : { ...config, seed: config.seed + r };
      const axes = experiment.repeats > 1 ? { ...cells, repeat: r + 1 } : cells;
      runs.push({ id: runId(seeded), name: r === 0 ? name : `${name}#${r + 1}`, axes, config: seeded });
    }
    void picked;
  };
  const short = shortLabels(experiment);
  const combos = experiment.search.method === 'random' ? sampleRandom(experiment) : gridCombos(experiment, short);
  for (const picked of combos) {
    let state = start;
    for (const choice of picked) for (const a of choice.assignments) state = applyAssignment(state, a);
    const cells = Object.fromEntries(experiment.axes.map((axis, i) => [axis.label, picked[i].cell]));
    emit(state, picked, picked.map((c) => c.nameText).join(',') || 'default', cells, () => picked.flatMap((c) => [...c.assignments]));
  }
  const gridIds = new Map(runs.map((run) => [run.id, run.name]));
  for (const entry of experiment.include) {
    const state = entry.assignments.reduce((s, a) => applyAssignment(s, a), start);
    const before = runs.length;
    const cells = Object.fromEntries(experiment.axes.map((axis) => [axis.label, axis.kind === 'variants' ? entry.name : cellOf(valueAt(state, axis.path))]));
    emit(state, [], entry.name, cells, () => [...entry.assignments]);
    const twin = runs.length > before ? gridIds.get(runs[before].id) : undefined;
    if (twin !== undefined) {
      diagnostics.push({
        code: 'INCLUDE_DUPLICATES_RUN',
        severity: 'warning',
        message: `include ${entry.name} resolves to the same configuration as run ${twin} of experiment ${experiment.name}; it is planned once`,
        ...entry.origin,
      });
    }
  }
  return { runs, diagnostics };
}

/** Grid combinations in odometer order, exclusions skipped. */
function* gridCombos(experiment: ExperimentSpec, short: ReadonlyMap<string, string>): Generator<AxisChoice[]> {
  const choices = experiment.axes.map((axis) => axisChoices(axis, short.get(axis.label)!));
  if (choices.some((list) => list.length === 0)) return;
  const constraints = excludeConstraints(experiment);
  const index = choices.map(() => 0);
  for (;;) {
    if (!constraints.some((c) => [...c].every(([axis, choice]) => index[axis] === choice))) {
      yield index.map((choice, axis) => choices[axis][choice]);
    }
    let axis = index.length - 1;
    while (axis >= 0 && ++index[axis] === choices[axis].length) index[axis--] = 0;
    if (axis < 0) return;
  }
}

function valueAt(state: ConfigState, path: readonly string[]): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], state);
}
