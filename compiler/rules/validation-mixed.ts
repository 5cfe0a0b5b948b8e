import { layersOf, leafWrites } from './layers.js';
import { report, type StudyRule } from './rule.js';

/** data.validation is either a held-out fraction or a folder; one layer may not write both kinds. */
export const validationMixed: StudyRule = {
  name: 'validation-mixed',
  check(study) {
    return layersOf(study).flatMap((layer) => {
      const writes = leafWrites(layer).filter((w) => w.path[0] === 'data' && w.path[1] === 'validation' && w.path.length === 3);
      const dir = writes.find((w) => w.path[2] === 'dir');
      const split = writes.find((w) => w.path[2] !== 'dir');
      return dir && split
        ? [report(dir.origin, 'VALIDATION_MIXED', `data.validation.dir cannot be combined with ${split.path[2]}: use a folder or a fraction`)]
        : [];
    });
  },
};
