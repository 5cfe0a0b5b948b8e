import { report, type StudyRule } from './rule.js';

/** An axis with no values would make the whole product empty, which is never what was meant. */
export const emptyAxis: StudyRule = {
  name: 'empty-axis',
  check: (study) =>
    study.experiments.flatMap((experiment) =>
      experiment.axes
        .filter((axis) => (axis.kind === 'values' ? axis.values.length : axis.kind === 'variants' ? axis.variants.length : 1) === 0)
        .map((axis) => report(axis.origin, 'EMPTY_AXIS', `axis ${axis.label} of experiment ${experiment.name} has no values`)),
    ),
};
