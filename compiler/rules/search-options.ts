import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { report, type StudyRule } from './rule.js';

/** Random search needs `samples` and cannot honour `exclude`; grid search ignores samples and seed. */
export const searchOptions: StudyRule = {
  name: 'search-options',
  check: (study) =>
    study.experiments.flatMap((experiment) => {
      const out: Diagnostic[] = [];
      const { search } = experiment;
      if (search.method === 'random') {
        if (search.samples === undefined) {
          out.push(report(search.origin, 'SAMPLES_REQUIRED', `random search of experiment ${experiment.name} needs samples: N`));
        }
        experiment.excludeOrigins.forEach((origin) =>
          out.push(report(origin, 'EXCLUDE_WITH_RANDOM', `exclude applies to grid search only; experiment ${experiment.name} uses random search`)),
        );
      } else if (search.samples !== undefined) {
        out.push(report(search.origin, 'SEARCH_OPTION_UNUSED', `samples has no effect with grid search (experiment ${experiment.name})`, 'warning'));
      }
      return out;
    }),
};
