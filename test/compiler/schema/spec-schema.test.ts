import { readdirSync, readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SPEC_SCHEMA } from '../../../compiler/schema/spec-schema.js';
import { expectGolden } from '../golden.js';

/** Every schema node that names a field (a property, an items or additionalProperties schema). */
function fieldSchemas(schema: unknown, path: string, out: [string, Record<string, unknown>][] = []): [string, Record<string, unknown>][] {
  if (typeof schema !== 'object' || schema === null) return out;
  const node = schema as Record<string, unknown>;
  for (const [key, child] of Object.entries((node.properties as object | undefined) ?? {})) {
    out.push([`${path}.${key}`, child as Record<string, unknown>]);
    fieldSchemas(child, `${path}.${key}`, out);
  }
  for (const [key, child] of Object.entries((node.$defs as object | undefined) ?? {})) fieldSchemas(child, `$defs.${key}`, out);
  for (const branch of (node.anyOf as unknown[] | undefined) ?? []) fieldSchemas(branch, path, out);
  if (typeof node.additionalProperties === 'object') {
    out.push([`${path}.*`, node.additionalProperties as Record<string, unknown>]);
    fieldSchemas(node.additionalProperties, `${path}.*`, out);
  }
  return out;
}

describe('published JSON Schema', () => {
  it('compiler/spec.schema.json is the schema object in code (UPDATE_GOLDEN=1 rewrites it)', () => {
    expectGolden('compiler/spec.schema.json', `${JSON.stringify(SPEC_SCHEMA, null, 2)}\n`);
  });

  it('gives every field a description', () => {
    const fields = fieldSchemas(SPEC_SCHEMA, '');
    expect(fields.length).toBeGreaterThan(60);
    const missing = fields.filter(([, schema]) => typeof schema.description !== 'string').map(([path]) => path);
    expect(missing).toEqual([]);
  });

  it('works on its own, as an editor uses it: every shipped spec passes, a broken one fails', () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    const validate = ajv.compile(JSON.parse(readFileSync('compiler/spec.schema.json', 'utf8')));
    const specs = readdirSync('specs', { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.yaml'));
    expect(specs.length).toBeGreaterThan(4);
    for (const file of specs) expect(validate(parse(readFileSync(`specs/${file}`, 'utf8'))), `${file}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    expect(validate({ version: 1, defaults: { 'model.arch': 'vgg' } })).toBe(false);
  });
});
