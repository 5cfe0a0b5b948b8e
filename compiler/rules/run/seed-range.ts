import { NO_PROBLEMS, type RunRule } from './run-rule.js';

const MAX_SEED = 4294967295;

/** Repeats use seeds seed .. seed + repeats - 1, all of which must stay below 2^32. */
export const seedRange: RunRule = {
  name: 'seed-range',
  check: ({ config, repeats }) =>
    typeof config.seed === 'number' && config.seed + repeats - 1 > MAX_SEED
      ? [{ code: 'SEED_OUT_OF_RANGE', path: ['seed'], message: `seed: ${config.seed} with repeats ${repeats} reaches ${config.seed + repeats - 1}, above 2^32 - 1` }]
      : NO_PROBLEMS,
};
