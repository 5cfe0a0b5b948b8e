import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { STUDY_RULES } from '../../../compiler/rules/index.js';
import { RUN_RULES } from '../../../compiler/rules/run/index.js';

/** The codes each semantic rule reports; a new rule must be added here and given a corpus case. */
const RULE_CODES: Record<string, readonly string[]> = {
  'study-name': ['MISSING_NAME'],
  'has-experiments': ['NO_EXPERIMENTS'],
  'empty-axis': ['EMPTY_AXIS'],
  'duplicate-axis-values': ['DUPLICATE_AXIS_VALUE'],
  'duplicate-variant-names': ['DUPLICATE_VARIANT'],
  'duplicate-include-names': ['DUPLICATE_RUN_NAME'],
  'overlapping-axes': ['AXIS_OVERLAP'],
  'exclude-names-axes': ['EXCLUDE_UNKNOWN_AXIS', 'EXCLUDE_UNKNOWN_VALUE'],
  'distribution-needs-random': ['DISTRIBUTION_NEEDS_RANDOM'],
  'distribution-bounds': ['DISTRIBUTION_BOUNDS'],
  'search-options': ['SAMPLES_REQUIRED', 'EXCLUDE_WITH_RANDOM', 'SEARCH_OPTION_UNUSED'],
  'param-not-in-type': ['PARAM_NOT_IN_TYPE'],
  'validation-mixed': ['VALIDATION_MIXED'],
  'ascending-ranges': ['RANGE_ORDER'],
  'data-root-required': ['MISSING_DATA_ROOT'],
  'run-schema': ['PARAM_NOT_IN_TYPE', 'MISSING_KEY'],
  'trainable-layers-limit': ['TRAINABLE_LAYERS_EXCEED'],
  'seed-range': ['SEED_OUT_OF_RANGE'],
};

function goldenText(dir: string): string {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.diagnostics.txt'))
    .map((name) => readFileSync(`${dir}/${name}`, 'utf8'))
    .join('');
}

describe('semantic rules', () => {
  it('every rule in the explicit lists is known here', () => {
    expect([...STUDY_RULES, ...RUN_RULES].map((rule) => rule.name).sort()).toEqual(Object.keys(RULE_CODES).sort());
  });

  const corpus = goldenText('test/compiler/invalid') + goldenText('test/compiler/valid');
  for (const [rule, codes] of Object.entries(RULE_CODES)) {
    it(`${rule} has a corpus case for each of its codes`, () => {
      for (const code of codes) expect(corpus, code).toMatch(new RegExp(`(error|warning)\\[${code}\\]`));
    });
  }

  it('resolved-run errors name the run and the layer that wrote the value', () => {
    const text = readFileSync('test/compiler/invalid/param-not-in-resolved-type.diagnostics.txt', 'utf8');
    expect(text).toContain('(in run momentum=0.5 of experiment learning-rate; from matrix axis optimizer.momentum of experiment learning-rate)');
  });
});
