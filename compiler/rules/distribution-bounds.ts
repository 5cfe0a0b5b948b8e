import { report, type StudyRule } from './rule.js';

/** uniform and loguniform need low < high; loguniform also low > 0. */
export const distributionBounds: StudyRule = {
  name: 'distribution-bounds',
  check: (study) =>
    study.experiments.flatMap((experiment) =>
      experiment.axes.flatMap((axis) => {
        if (axis.kind !== 'distribution') return [];
        if (axis.distribution === 'loguniform' && axis.low <= 0) {
          return [report(axis.origin, 'DISTRIBUTION_BOUNDS', `loguniform of ${axis.label} needs a low bound > 0, got ${axis.low}`)];
        }
        if (axis.low >= axis.high) {
          return [report(axis.origin, 'DISTRIBUTION_BOUNDS', `${axis.distribution} of ${axis.label} needs low < high, got [${axis.low}, ${axis.high}]`)];
        }
        return [];
      }),
    ),
};
