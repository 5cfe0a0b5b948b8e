import { canonicalJson } from '../plan/canonical-json.js';
import { report, type StudyRule } from './rule.js';

/** The same value twice on an axis would plan the same run twice under two names. */
export const duplicateAxisValues: StudyRule = {
  name: 'duplicate-axis-values',
  check: (study) =>
    study.experiments.flatMap((experiment) =>
      experiment.axes.flatMap((axis) => {
        if (axis.kind !== 'values') return [];
        const seen = new Set<string>();
        return axis.values.flatMap((value) => {
          const key = canonicalJson(value.value);
          if (!seen.has(key)) return (seen.add(key), []);
          return [report(value.origin, 'DUPLICATE_AXIS_VALUE', `axis ${axis.label} lists ${key} more than once`)];
        });
      }),
    ),
};
