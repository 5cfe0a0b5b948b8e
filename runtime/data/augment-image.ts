import type { AugmentConfig } from '../../compiler/types/run-config.js';
import type { ActiveAugment } from './image-task.js';

export { augmentPixels, type ActiveAugment } from './image-task.js';

/** The augment config when it changes anything, else null (then train images equal eval images). */
export function activeAugment(augment: AugmentConfig): ActiveAugment | null {
  if (augment === false) return null;
  return augment.random_resized_crop !== false || augment.horizontal_flip || augment.rotation > 0 ? augment : null;
}

/** Which cached variant augmentation starts from: the capped whole image to crop from, or the eval image. */
export function augmentBase(augment: ActiveAugment): 'source' | 'eval' {
  return augment.random_resized_crop ? 'source' : 'eval';
}
