import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_PATCH_SCHEMA } from '../../../compiler/schema/config-schema.js';
import { configPaths } from '../../../compiler/schema/dotted-paths.js';
import { SPEC_SCHEMA } from '../../../compiler/schema/spec-schema.js';

const DOC = readFileSync('docs/spec-language.md', 'utf8');

/** Every diagnostic code the compiler can produce: SCREAMING_SNAKE string literals in compiler/, except the yaml library's codes it compares with. */
function compilerCodes(): string[] {
  const files = readdirSync('compiler', { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  const text = files.map((f) => readFileSync(`compiler/${f}`, 'utf8')).join('\n');
  return [...new Set([...text.matchAll(/(?<!=== )'([A-Z][A-Z_]{3,})'/g)].map((m) => m[1]))].sort();
}

describe('docs/spec-language.md', () => {
  it('documents every setting of the JSON Schema by its dotted path', () => {
    const missing = configPaths(CONFIG_PATCH_SCHEMA)
      .map(({ path }) => path.join('.'))
      .filter((path) => !DOC.includes(`\`${path}\``));
    expect(missing).toEqual([]);
  });

  it('documents every top-level and experiment field', () => {
    const defs = SPEC_SCHEMA.$defs as Record<string, { properties: Record<string, unknown> }>;
    const search = (defs.experiment.properties.search as { properties: Record<string, unknown> }).properties;
    const fields = [
      ...Object.keys(SPEC_SCHEMA.properties as object),
      ...Object.keys(defs.experiment.properties),
      ...Object.keys(search).map((key) => `search.${key}`),
    ];
    expect(fields.filter((field) => !DOC.includes(`\`${field}\``))).toEqual([]);
  });

  it('lists every diagnostic code in its table, and only real ones', () => {
    const table = [...DOC.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]).sort();
    expect(table).toEqual(compilerCodes());
  });
});
