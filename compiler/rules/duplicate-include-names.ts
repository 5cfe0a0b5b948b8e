import { report, type StudyRule } from './rule.js';

/** Include names are run names: two includes of one experiment may not share one. */
export const duplicateIncludeNames: StudyRule = {
  name: 'duplicate-include-names',
  check: (study) =>
    study.experiments.flatMap((experiment) => {
      const seen = new Set<string>();
      return experiment.include.flatMap((entry) => {
        if (!seen.has(entry.name)) return (seen.add(entry.name), []);
        return [report(entry.origin, 'DUPLICATE_RUN_NAME', `include name ${entry.name} appears more than once in experiment ${experiment.name}`)];
      });
    }),
};
