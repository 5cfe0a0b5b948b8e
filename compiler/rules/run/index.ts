import { dataRootRequired } from './data-root-required.js';
import { runSchema } from './run-schema.js';
import type { RunRule } from './run-rule.js';
import { seedRange } from './seed-range.js';
import { trainableLayersLimit } from './trainable-layers-limit.js';

/** Checks of every resolved run, in order; the first rule that fails stops the rest for that run. */
export const RUN_RULES: readonly RunRule[] = [dataRootRequired, runSchema, trainableLayersLimit, seedRange];
