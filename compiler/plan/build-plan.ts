import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { ExpandedRun } from '../expand/expand-experiment.js';
import type { EarlyTermination, PlannedExperiment, PlannedRun, RunPlan } from '../types/plan.js';
import type { PlannedSearch } from '../types/search.js';
import type { ExperimentSpec, ExperimentStudy } from '../types/study.js';

type MutableRun = { id: string; name: string; experiments: string[]; axes: Record<string, PlannedRun['axes'][string]>; config: PlannedRun['config'] };

/**
 * The plan: experiments in written order, each listing its run ids; runs in
 * order of first appearance, one per distinct config (two experiments that
 * resolve to the same config share the run and both list it).
 */
export function buildPlan(
  study: ExperimentStudy,
  expanded: readonly { experiment: ExperimentSpec; runs: readonly ExpandedRun[]; search?: PlannedSearch }[],
): { plan: RunPlan; diagnostics: Diagnostic[] } {
  const runs = new Map<string, MutableRun>();
  const diagnostics: Diagnostic[] = [];
  const experiments: PlannedExperiment[] = expanded.map(({ experiment, runs: list, search }) => {
    const ids: string[] = [];
    const name = experiment.name;
    const twins: ExpandedRun[] = [];
    for (const run of list) {
      const planned = runs.get(run.id);
      if (!planned) {
        runs.set(run.id, { id: run.id, name: run.name, experiments: [name], axes: { [name]: run.axes }, config: run.config });
        ids.push(run.id);
      } else if (!planned.experiments.includes(name)) {
        planned.experiments.push(name);
        planned.axes[name] = run.axes;
        ids.push(run.id);
      } else if (!run.include) {
        twins.push(run);
      }
    }
    if (twins.length > 0) diagnostics.push(sameConfigWarning(experiment, twins, list));
    const axes = experiment.axes.map((axis) => axis.label);
    const planned: PlannedExperiment = { name: experiment.name, title: experiment.title, axes: experiment.repeats > 1 ? [...axes, 'repeat'] : axes, runs: ids, ...(search ? { search } : {}) };
    return experiment.earlyTermination ? { ...planned, early_termination: plannedEarlyTermination(experiment.earlyTermination) } : planned;
  });
  const plan: RunPlan = {
    version: 1,
    spec: study.spec,
    name: study.name ?? '',
    ...(study.description === undefined ? {} : { description: study.description }),
    experiments,
    runs: [...runs.values()],
  };
  return { plan, diagnostics };
}

/** The plan keeps the settings, not where they were written. */
function plannedEarlyTermination({ type, metric, min_epochs, reduction_factor }: NonNullable<ExperimentSpec['earlyTermination']>): EarlyTermination {
  return { type, metric, min_epochs, reduction_factor };
}

/** One warning per experiment whose runs coincide (a seed axis with repeats, a variant that sets a default): each is planned once. */
function sameConfigWarning(experiment: ExperimentSpec, twins: readonly ExpandedRun[], list: readonly ExpandedRun[]): Diagnostic {
  const earlier = list.find((run) => run.id === twins[0].id)!;
  const more = twins.length > 1 ? ` (and ${twins.length - 1} more)` : '';
  return {
    code: 'SAME_CONFIG',
    severity: 'warning',
    message: `run ${twins[0].name} of experiment ${experiment.name} resolves to the same configuration as run ${earlier.name}${more}; each is planned once`,
    file: experiment.origin.file,
    path: experiment.origin.path,
    range: experiment.origin.range,
  };
}
