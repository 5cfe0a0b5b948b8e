import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { compile } from '../../../compiler/compile.js';
import { memoryHost } from '../../../compiler/host.js';

const VALID = readdirSync('test/compiler/valid')
  .filter((name) => name.endsWith('.yaml'))
  .map((name) => readFileSync(`test/compiler/valid/${name}`, 'utf8'));

/** A user error is a diagnostic, never an exception: compile returns for any text. */
function compiles(text: string): void {
  const result = compile({ specPath: 'spec.yaml', host: memoryHost({ 'spec.yaml': text, 'base.yaml': 'version: 1\n' }), dataCheck: 'warn' });
  expect(result.plan !== undefined || result.diagnostics.some((d) => d.severity === 'error')).toBe(true);
}

const settingValue = fc.oneof(fc.jsonValue(), fc.constantFrom('all', 'adam', 'step', null, true, [0.2, 1], { type: 'cosine' }));
const key = fc.constantFrom('model.arch', 'optimizer', 'optimizer.type', 'augment', 'schedule', 'data.validation', 'early_stopping', 'x', 'model', 'seed');

describe('the compiler never throws on user input', () => {
  it('for valid specs with lines dropped or characters changed', () => {
    fc.assert(
      fc.property(fc.constantFrom(...VALID), fc.nat(), fc.nat(), fc.string({ maxLength: 3 }), (text, at, length, insert) => {
        const cut = at % (text.length + 1);
        compiles(text.slice(0, cut) + insert + text.slice(cut + (length % 20)));
      }),
      { numRuns: 100 },
    );
  });

  it('for structurally plausible specs with arbitrary values in bundles, axes, include and exclude', () => {
    fc.assert(
      fc.property(
        fc.dictionary(key, settingValue, { maxKeys: 4 }),
        fc.dictionary(key, fc.oneof(fc.array(settingValue, { maxLength: 3 }), settingValue), { maxKeys: 3 }),
        fc.array(fc.dictionary(key, settingValue, { maxKeys: 2 }), { maxLength: 2 }),
        fc.constantFrom(undefined, 'base.yaml', 'spec.yaml'),
        (defaults, matrix, exclude, base) => {
          const spec = { version: 1, name: 'fuzz', ...(base ? { extends: base } : {}), data: { root: 'd' }, defaults, experiments: { e: { matrix, exclude, include: [{ name: 'i', set: defaults }] } } };
          compiles(stringify(spec));
        },
      ),
      { numRuns: 150 },
    );
  });
});
