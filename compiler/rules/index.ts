import { ascendingRanges } from './ascending-ranges.js';
import { distributionBounds } from './distribution-bounds.js';
import { distributionNeedsRandom } from './distribution-needs-random.js';
import { duplicateAxisValues } from './duplicate-axis-values.js';
import { duplicateIncludeNames } from './duplicate-include-names.js';
import { duplicateVariantNames } from './duplicate-variant-names.js';
import { emptyAxis } from './empty-axis.js';
import { excludeNamesAxes } from './exclude-names-axes.js';
import { hasExperiments } from './has-experiments.js';
import { overlappingAxes } from './overlapping-axes.js';
import { paramNotInType } from './param-not-in-type.js';
import type { StudyRule } from './rule.js';
import { searchOptions } from './search-options.js';
import { studyName } from './study-name.js';
import { validationMixed } from './validation-mixed.js';

/**
 * Every semantic rule over the normalised study, in order. Rules that need a
 * resolved run (trainable_layers against the architecture, parameters of the
 * resolved optimizer type) are in rules/run/index.ts.
 */
export const STUDY_RULES: readonly StudyRule[] = [
  studyName,
  hasExperiments,
  emptyAxis,
  duplicateAxisValues,
  duplicateVariantNames,
  duplicateIncludeNames,
  overlappingAxes,
  excludeNamesAxes,
  distributionNeedsRandom,
  distributionBounds,
  searchOptions,
  paramNotInType,
  validationMixed,
  ascendingRanges,
];
