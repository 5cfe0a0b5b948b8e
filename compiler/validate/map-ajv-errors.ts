import type { ErrorObject } from 'ajv';
import type { Diagnostic, Origin } from '../diagnostics/diagnostic.js';
import { suggestionSuffix } from '../diagnostics/did-you-mean.js';
import { describeTypes, describeValue, jsonTypes, yamlBooleanHint } from './describe-value.js';
import { pruneAnyOfErrors } from './prune-any-of.js';

export type Segments = readonly (string | number)[];

export interface ErrorMapping {
  /** The YAML node (or its key) that an instance path points at. */
  locate(segments: Segments, options: { key: boolean }): Pick<Origin, 'file' | 'path' | 'range'>;
  /** The name of the setting at an instance path, as the user reads it (`optimizer.lr`). */
  display(segments: Segments): string;
}

/** Ajv errors (verbose, allErrors) to diagnostics at the YAML nodes they concern. */
export function mapAjvErrors(errors: readonly ErrorObject[], mapping: ErrorMapping): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const error of pruneAnyOfErrors(errors)) {
    const segments = splitPointer(error.instancePath, error.data);
    const mapped = mapOne(error, segments, mapping);
    if (mapped) out.push(mapped);
  }
  return out;
}

function mapOne(error: ErrorObject, segments: Segments, mapping: ErrorMapping): Diagnostic | undefined {
  const at = (code: string, message: string, where: Segments = segments, key = false): Diagnostic => ({
    code,
    severity: 'error',
    message,
    ...mapping.locate(where, { key }),
  });
  const name = mapping.display(segments) || 'the spec';
  const params = error.params as Record<string, unknown>;
  const got = `got ${describeValue(error.data)}`;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const known = Object.keys((error.parentSchema?.properties as object | undefined) ?? {});
      const where = segments.length ? ` in ${name}` : '';
      const hint = key === '<<' ? ': merge keys are not part of YAML 1.2, write the settings out' : suggestionSuffix(key, known);
      return at('UNKNOWN_KEY', `unknown key "${key}"${where}${hint}`, [...segments, key], true);
    }
    case 'required':
      return at('MISSING_KEY', `${name}: missing required key "${String(params.missingProperty)}"`);
    case 'type':
      return at('WRONG_TYPE', `${name}: must be ${describeTypes(params.type)}, ${got}${yamlBooleanHint(error.data, params.type)}`);
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const suggestion = typeof error.data === 'string' ? suggestionSuffix(error.data, allowed) : '';
      return at('INVALID_VALUE', `${name}: must be one of ${allowed.join(', ')}, ${got}${suggestion}`);
    }
    case 'const':
      return at('INVALID_VALUE', `${name}: must be ${JSON.stringify(params.allowedValue)}, ${got}`);
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return at('OUT_OF_RANGE', `${name}: must be ${String(params.comparison)} ${String(params.limit)}, ${got}`);
    case 'minItems':
    case 'maxItems':
      return at('WRONG_LENGTH', `${name}: must have ${lengthWords(error)}, got ${(error.data as unknown[]).length}`);
    case 'minProperties':
    case 'maxProperties':
      return at('WRONG_LENGTH', `${name}: must have ${lengthWords(error)}`);
    case 'minLength':
      return at('INVALID_VALUE', `${name}: must not be empty`);
    case 'pattern':
      if (error.propertyName !== undefined) {
        return at('INVALID_NAME', `name "${error.propertyName}" must use lowercase letters, digits, - and _ (start with a letter or digit)`, [...segments, error.propertyName], true);
      }
      return at('INVALID_NAME', `${name}: must use lowercase letters, digits, - and _ (start with a letter or digit), ${got}`);
    case 'propertyNames':
      return undefined;
    default:
      return at('INVALID_VALUE', `${name}: ${error.message ?? 'is invalid'}`);
  }
}

function lengthWords(error: ErrorObject): string {
  const schema = error.parentSchema ?? {};
  const min = (schema.minItems ?? schema.minProperties) as number | undefined;
  const max = (schema.maxItems ?? schema.maxProperties) as number | undefined;
  const unit = error.keyword.endsWith('Items') ? 'items' : 'keys';
  if (min !== undefined && min === max) return `exactly ${min} ${min === 1 ? unit.slice(0, -1) : unit}`;
  return error.keyword.startsWith('min') ? `at least ${min} ${unit}` : `at most ${max} ${unit}`;
}

/** `/experiments/a~1b/0` -> ['experiments', 'a/b', 0]; numbers only where the instance is a list. */
export function splitPointer(pointer: string, _data: unknown): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^(0|[1-9][0-9]*)$/.test(part) ? Number(part) : part));
}

export { jsonTypes };
