import { runValidator } from '../../schema/ajv-instance.js';
import { mapAjvErrors } from '../../validate/map-ajv-errors.js';
import { joinPath } from '../../validate/validate-spec.js';
import type { RunRule } from './run-rule.js';

/**
 * The resolved run against the RunConfig schema: catches what only shows
 * after merging (an axis writing momentum onto an adam run, a step schedule
 * without step_size). Parameters a type lacks get their own code.
 */
export const runSchema: RunRule = {
  name: 'run-schema',
  check: ({ config }) => {
    const validate = runValidator();
    if (validate(config)) return [];
    const diagnostics = mapAjvErrors(validate.errors ?? [], {
      locate: (segments) => ({ file: '', path: segments, range: null }),
      display: joinPath,
    });
    return diagnostics.map((d) => {
      const group = d.path[0];
      const typeParam = d.code === 'UNKNOWN_KEY' && (group === 'optimizer' || group === 'schedule') && d.path.length === 2;
      const type = typeParam ? String((config[group] as { type: string }).type) : '';
      return typeParam
        ? { code: 'PARAM_NOT_IN_TYPE', path: d.path, message: `${group}.${String(d.path[1])}: ${group} type ${type} has no parameter ${String(d.path[1])}` }
        : { code: d.code, path: d.path, message: d.message };
    });
  },
};
