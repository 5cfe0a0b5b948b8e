import { Ajv, type ValidateFunction } from 'ajv';
import { RUN_SCHEMA, RUN_SCHEMA_ID } from './run-schema.js';
import { SPEC_SCHEMA, SPEC_SCHEMA_ID } from './spec-schema.js';

/**
 * The one Ajv instance of the compiler: strict, no coercion, no defaults
 * written into data. Each schema (and each fragment used for axis values) is
 * compiled once, on first use, and cached by Ajv.
 */
let instance: Ajv | undefined;

function ajv(): Ajv {
  if (!instance) {
    instance = new Ajv({ strict: true, allErrors: true, verbose: true, allowUnionTypes: true, discriminator: true });
    instance.addSchema(SPEC_SCHEMA as object);
    instance.addSchema(RUN_SCHEMA as object);
  }
  return instance;
}

export type SchemaFragment = 'bundle' | 'variant' | 'distribution';

const compiled = new Map<string, ValidateFunction>();

/** Ajv's getSchema resolves the id on every call: keep the functions. */
function validator(id: string): ValidateFunction {
  let fn = compiled.get(id);
  if (!fn) {
    fn = ajv().getSchema(id)!;
    compiled.set(id, fn);
  }
  return fn;
}

export function specValidator(): ValidateFunction {
  return validator(SPEC_SCHEMA_ID);
}

/** A `$defs` entry of the spec schema, for values whose place in the schema is decided during normalisation. */
export function fragmentValidator(name: SchemaFragment): ValidateFunction {
  return validator(`${SPEC_SCHEMA_ID}#/$defs/${name}`);
}

export function runValidator(): ValidateFunction {
  return validator(RUN_SCHEMA_ID);
}

const sections = new Map<string, ValidateFunction>();

/** One top-level field of the RunConfig schema (data, optimizer, seed, ...). */
export function runSectionValidator(key: string): ValidateFunction {
  let fn = sections.get(key);
  if (!fn) sections.set(key, (fn = validator(`${RUN_SCHEMA_ID}#/properties/${key}`)));
  return fn;
}
