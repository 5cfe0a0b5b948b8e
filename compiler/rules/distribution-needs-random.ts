import { report, type StudyRule } from './rule.js';

/** A distribution (or `choice`) has no grid meaning: it needs `search: { method: random }` (or tpe). */
export const distributionNeedsRandom: StudyRule = {
  name: 'distribution-needs-random',
  check: (study) =>
    study.experiments.flatMap((experiment) =>
      experiment.search.method !== 'grid'
        ? []
        : experiment.axes
            .filter((axis) => axis.kind === 'distribution' || (axis.kind === 'values' && axis.choice))
            .map((axis) =>
              report(axis.origin, 'DISTRIBUTION_NEEDS_RANDOM', `axis ${axis.label} is a distribution; add search: { method: random, samples: N } to experiment ${experiment.name}, or list values`),
            ),
    ),
};
