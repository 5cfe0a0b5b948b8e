import { report, type StudyRule } from './rule.js';

/** A spec that is compiled (not only extended) needs at least one experiment. */
export const hasExperiments: StudyRule = {
  name: 'has-experiments',
  check: (study) =>
    study.experiments.length === 0
      ? [report(study.experimentsOrigin, 'NO_EXPERIMENTS', 'the study has no experiments: add at least one under `experiments:`')]
      : [],
};
