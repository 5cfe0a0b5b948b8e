import { NO_PROBLEMS, type RunRule } from './run-rule.js';

/** Every run needs a dataset: data.root has no default. */
export const dataRootRequired: RunRule = {
  name: 'data-root-required',
  check: ({ config }) =>
    typeof config.data.root === 'string'
      ? NO_PROBLEMS
      : [{ code: 'MISSING_DATA_ROOT', path: ['data', 'root'], message: 'data.root is not set: add `data: { root: path/to/images }`' }],
};
