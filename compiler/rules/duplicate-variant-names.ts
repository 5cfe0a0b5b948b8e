import { report, type StudyRule } from './rule.js';

/** Variant names are run names and exclude values: they must be unique on their axis. */
export const duplicateVariantNames: StudyRule = {
  name: 'duplicate-variant-names',
  check: (study) =>
    study.experiments.flatMap((experiment) =>
      experiment.axes.flatMap((axis) => {
        if (axis.kind !== 'variants') return [];
        const seen = new Set<string>();
        return axis.variants.flatMap((variant) => {
          if (!seen.has(variant.name)) return (seen.add(variant.name), []);
          return [report(variant.origin, 'DUPLICATE_VARIANT', `variant name ${variant.name} appears more than once on axis ${axis.label}`)];
        });
      }),
    ),
};
