import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileCorpusFile, diagnosticsText } from './corpus-host.js';
import { expectGolden } from './golden.js';

const DIR = 'test/compiler/invalid';
const cases = readdirSync(DIR).filter((name) => name.endsWith('.yaml')).sort();

describe('invalid specs: exact diagnostics (code, line, column, message)', () => {
  it('has at least 30 cases', () => expect(cases.length).toBeGreaterThanOrEqual(30));

  for (const name of cases) {
    it(name, () => {
      const result = compileCorpusFile(`${DIR}/${name}`);
      expect(result.plan).toBeUndefined();
      expect(result.diagnostics.some((d) => d.severity === 'error')).toBe(true);
      const code = name.replace(/\.yaml$/, '');
      if (/^[A-Z_]+$/.test(code)) expect(result.diagnostics.map((d) => d.code)).toContain(code);
      expectGolden(`${DIR}/${name.replace(/\.yaml$/, '.diagnostics.txt')}`, diagnosticsText(result));
    });
  }

  it('refuses the 10^10-run matrix with its exact count, well under a second', () => {
    compileCorpusFile(`${DIR}/TOO_MANY_RUNS.yaml`);
    const start = performance.now();
    const result = compileCorpusFile(`${DIR}/TOO_MANY_RUNS.yaml`);
    const elapsed = performance.now() - start;
    expect(result.runCount).toBe(10_000_000_002n);
    expect(result.diagnostics[0].message).toContain('10000000002 runs');
    expect(elapsed).toBeLessThan(1000);
  });
});
