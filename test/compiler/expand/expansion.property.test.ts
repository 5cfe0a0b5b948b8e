import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { compile } from '../../../compiler/compile.js';
import { memoryHost } from '../../../compiler/host.js';
import { canonicalJson } from '../../../compiler/plan/canonical-json.js';
import { expectedCount, experimentArbitrary, specObject } from './study-arbitrary.js';

const compileSpec = (spec: Record<string, unknown>) =>
  compile({ specPath: 'study.yaml', host: memoryHost({ 'study.yaml': stringify(spec) }), dataCheck: 'off' });

describe('expansion properties', () => {
  it('run count = (product - excluded + includes) * repeats, computed before and after materialising', () => {
    fc.assert(
      fc.property(experimentArbitrary, (g) => {
        const result = compileSpec(specObject(g, false));
        expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        const expected = expectedCount(g);
        expect(result.runCount).toBe(BigInt(expected));
        expect(result.plan!.experiments[0].runs).toHaveLength(expected);
        expect(result.plan!.runs).toHaveLength(expected);
      }),
      { numRuns: 25 },
    );
  });

  it('ids are unique per distinct config and stable across compilations', () => {
    fc.assert(
      fc.property(experimentArbitrary, (g) => {
        const first = compileSpec(specObject(g, false)).plan!;
        const configById = new Map<string, string>();
        const idByConfig = new Map<string, string>();
        for (const run of first.runs) {
          const config = canonicalJson(run.config);
          expect(run.id).toMatch(/^[0-9a-f]{12}$/);
          expect(configById.get(run.id) ?? config).toBe(config);
          expect(idByConfig.get(config) ?? run.id).toBe(run.id);
          configById.set(run.id, config);
          idByConfig.set(config, run.id);
        }
        expect(JSON.stringify(compileSpec(specObject(g, false)).plan)).toBe(JSON.stringify(first));
      }),
      { numRuns: 25 },
    );
  });

  it('dotted and nested forms give identical plans', () => {
    fc.assert(
      fc.property(experimentArbitrary, (g) => {
        const dotted = compileSpec(specObject(g, false));
        const nested = compileSpec(specObject(g, true));
        expect(nested.diagnostics).toEqual([]);
        expect(JSON.stringify(nested.plan)).toBe(JSON.stringify(dotted.plan));
      }),
      { numRuns: 25 },
    );
  });
});

describe('run ids', () => {
  it('the section-sharing hasher gives the same ids as hashing the canonical JSON whole', async () => {
    const { createRunHasher, runId } = await import('../../../compiler/plan/canonical-json.js');
    const hasher = createRunHasher();
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (config) => {
        expect(hasher(config)).toBe(runId(config));
      }),
      { numRuns: 200 },
    );
  });
});
