import { isPrefix } from '../normalize/flatten-bundle.js';
import type { DistributionAxis, ValueAxis } from '../types/study.js';
import { report, type StudyRule } from './rule.js';

/** Two value axes that set the same setting (or one inside the other) would silently override each other. */
export const overlappingAxes: StudyRule = {
  name: 'overlapping-axes',
  check: (study) =>
    study.experiments.flatMap((experiment) => {
      const valueAxes = experiment.axes.filter((axis): axis is ValueAxis | DistributionAxis => axis.kind !== 'variants');
      return valueAxes.flatMap((axis, j) => {
        const earlier = valueAxes.slice(0, j).find((other) => isPrefix(other.path, axis.path) || isPrefix(axis.path, other.path));
        if (!earlier) return [];
        const message =
          earlier.label === axis.label
            ? `axis ${axis.label} is written twice in experiment ${experiment.name} (dotted and nested keys name the same setting)`
            : `axis ${axis.label} overlaps axis ${earlier.label} of experiment ${experiment.name}: both set ${earlier.path.length < axis.path.length ? axis.label : earlier.label}`;
        return [report(axis.origin, 'AXIS_OVERLAP', message)];
      });
    }),
};
