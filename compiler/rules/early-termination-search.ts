import { report, type StudyRule } from './rule.js';

/**
 * early_termination applies to grid and random search. A tpe search ranks
 * only completed runs and proposes from them, so runs stopped at a rung would
 * stay pending to it forever: the combination is refused rather than half-done.
 */
export const earlyTerminationSearch: StudyRule = {
  name: 'early-termination-search',
  check: (study) =>
    study.experiments.flatMap((experiment) =>
      experiment.earlyTermination && experiment.search.method === 'tpe'
        ? [report(experiment.earlyTermination.origin, 'EARLY_TERMINATION_WITH_TPE', `early_termination applies to grid and random search; experiment ${experiment.name} uses tpe`)]
        : [],
    ),
};
