import type { ExpandedRun } from '../expand/expand-experiment.js';
import type { PlannedExperiment, PlannedRun, RunPlan } from '../types/plan.js';
import type { ExperimentSpec, ExperimentStudy } from '../types/study.js';

type MutableRun = { id: string; name: string; experiments: string[]; axes: Record<string, PlannedRun['axes'][string]>; config: PlannedRun['config'] };

/**
 * The plan: experiments in written order, each listing its run ids; runs in
 * order of first appearance, one per distinct config (two experiments that
 * resolve to the same config share the run and both list it).
 */
export function buildPlan(study: ExperimentStudy, expanded: readonly { experiment: ExperimentSpec; runs: readonly ExpandedRun[] }[]): RunPlan {
  const runs = new Map<string, MutableRun>();
  const experiments: PlannedExperiment[] = expanded.map(({ experiment, runs: list }) => {
    const ids: string[] = [];
    for (const run of list) {
      let planned = runs.get(run.id);
      if (!planned) {
        planned = { id: run.id, name: run.name, experiments: [], axes: {}, config: run.config };
        runs.set(run.id, planned);
      }
      if (!planned.experiments.includes(experiment.name)) {
        planned.experiments.push(experiment.name);
        planned.axes[experiment.name] = run.axes;
        ids.push(run.id);
      }
    }
    const axes = experiment.axes.map((axis) => axis.label);
    return { name: experiment.name, title: experiment.title, axes: experiment.repeats > 1 ? [...axes, 'repeat'] : axes, runs: ids };
  });
  return {
    version: 1,
    spec: study.spec,
    name: study.name ?? '',
    ...(study.description === undefined ? {} : { description: study.description }),
    experiments,
    runs: [...runs.values()],
  };
}
