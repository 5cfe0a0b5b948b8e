import { layersOf, leafWrites } from './layers.js';
import { report, type StudyRule } from './rule.js';

const RANGES = new Set(['augment.random_resized_crop.scale', 'augment.random_resized_crop.ratio']);

/** Crop scale and ratio are [low, high] ranges and must be ascending. */
export const ascendingRanges: StudyRule = {
  name: 'ascending-ranges',
  check(study) {
    return layersOf(study).flatMap((layer) =>
      leafWrites(layer)
        .filter((w) => RANGES.has(w.path.join('.')) && Array.isArray(w.value) && Number(w.value[0]) > Number(w.value[1]))
        .map((w) => report(w.origin, 'RANGE_ORDER', `${w.path.join('.')}: must be ascending [low, high], got [${(w.value as number[]).join(', ')}]`)),
    );
  },
};
