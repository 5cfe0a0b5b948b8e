import { runSectionValidator } from '../../schema/ajv-instance.js';
import { RUN_SCHEMA } from '../../schema/run-schema.js';
import { identityMemo } from '../../expand/identity-memo.js';
import { mapAjvErrors } from '../../validate/map-ajv-errors.js';
import { joinPath } from '../../validate/validate-spec.js';
import type { RunProblem, RunRule } from './run-rule.js';

const SECTIONS = Object.keys(RUN_SCHEMA.properties as object);
const NONE: readonly RunProblem[] = [];

/**
 * The resolved run against the RunConfig schema, section by section: catches
 * what only shows after merging (an axis writing momentum onto an adam run,
 * a step schedule without step_size). Parameters a type lacks get their own code.
 * A section object already checked (sections are shared) is not checked again.
 */
export const runSchema: RunRule = {
  name: 'run-schema',
  check: ({ config, memo }) => {
    let out: RunProblem[] | undefined;
    for (const key of SECTIONS) {
      const value = (config as unknown as Record<string, unknown>)[key];
      let problems: readonly RunProblem[];
      if (typeof value !== 'object' || value === null) {
        problems = checkSection(key, value);
      } else {
        let check = memo.get(key);
        if (!check) memo.set(key, (check = identityMemo((section: object) => checkSection(key, section))));
        problems = check(value);
      }
      if (problems.length > 0) (out ??= []).push(...problems);
    }
    return out ?? NONE;
  },
};

function checkSection(key: string, value: unknown): readonly RunProblem[] {
  const validate = runSectionValidator(key);
  if (validate(value)) return NONE;
  const diagnostics = mapAjvErrors(validate.errors ?? [], {
    locate: (segments) => ({ file: '', path: [key, ...segments], range: null }),
    display: (segments) => joinPath([key, ...segments]),
  });
  return diagnostics.map((d) => {
    const typeParam = d.code === 'UNKNOWN_KEY' && (key === 'optimizer' || key === 'schedule') && d.path.length === 2;
    const type = typeParam ? String((value as { type: string }).type) : '';
    return typeParam
      ? { code: 'PARAM_NOT_IN_TYPE', path: d.path, message: `${key}.${String(d.path[1])}: ${key} type ${type} has no parameter ${String(d.path[1])}` }
      : { code: d.code, path: d.path, message: d.message };
  });
}
