import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { ExperimentSpec } from '../types/study.js';
import { report, type StudyRule } from './rule.js';

/**
 * Random and tpe search need `samples` and cannot honour `exclude`; tpe also
 * needs an axis and takes no `include` or `repeats` (its runs are proposed one
 * at a time from the results, which neither fits); grid search ignores
 * samples, random search the tpe options.
 */
export const searchOptions: StudyRule = {
  name: 'search-options',
  check: (study) =>
    study.experiments.flatMap((experiment) => {
      const out: Diagnostic[] = [];
      const { search } = experiment;
      if (search.method !== 'grid') {
        if (search.samples === undefined) {
          out.push(report(search.origin, 'SAMPLES_REQUIRED', `${search.method} search of experiment ${experiment.name} needs samples: N`));
        }
        experiment.excludeOrigins.forEach((origin) =>
          out.push(report(origin, 'EXCLUDE_WITH_RANDOM', `exclude applies to grid search only; experiment ${experiment.name} uses ${search.method} search`)),
        );
      } else if (search.samples !== undefined) {
        out.push(report(search.origin, 'SEARCH_OPTION_UNUSED', `samples has no effect with grid search (experiment ${experiment.name})`, 'warning'));
      }
      if (search.method === 'tpe') out.push(...tpeOptions(experiment));
      else if (search.startup !== undefined || search.candidates !== undefined) {
        out.push(report(search.origin, 'SEARCH_OPTION_UNUSED', `startup and candidates apply to tpe search only (experiment ${experiment.name})`, 'warning'));
      }
      return out;
    }),
};

function tpeOptions(experiment: ExperimentSpec): Diagnostic[] {
  const out: Diagnostic[] = [];
  const { search } = experiment;
  if (experiment.axes.length === 0) {
    out.push(report(search.origin, 'TPE_NO_AXES', `tpe search of experiment ${experiment.name} needs at least one matrix axis to search over`));
  }
  if (search.startup !== undefined && search.samples !== undefined && search.startup > search.samples) {
    out.push(report(search.origin, 'STARTUP_EXCEEDS_SAMPLES', `startup ${search.startup} exceeds samples ${search.samples} in experiment ${experiment.name}`));
  }
  for (const entry of experiment.include) {
    out.push(report(entry.origin, 'TPE_UNSUPPORTED', `include does not apply to tpe search (experiment ${experiment.name}); put the run in another experiment`));
  }
  if (experiment.repeats > 1) {
    out.push(report(experiment.origin, 'TPE_UNSUPPORTED', `repeats does not apply to tpe search (experiment ${experiment.name}): each proposal is one run; vary seed in another experiment`));
  }
  return out;
}
