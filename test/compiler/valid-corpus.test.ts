import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileCorpusFile, diagnosticsText } from './corpus-host.js';
import { expectGolden } from './golden.js';

const DIR = 'test/compiler/valid';
const cases = [
  ...readdirSync(DIR).filter((name) => name.endsWith('.yaml')),
  ...readdirSync(`${DIR}/extends`)
    .filter((name) => name.endsWith('.yaml'))
    .map((name) => `extends/${name}`),
].sort();

describe('valid specs: golden plans', () => {
  it('has at least 15 cases', () => expect(cases.length).toBeGreaterThanOrEqual(15));

  for (const name of cases) {
    it(name, () => {
      const result = compileCorpusFile(`${DIR}/${name}`);
      const diagnostics = `${DIR}/${name.replace(/\.yaml$/, '.diagnostics.txt')}`;
      if (result.diagnostics.length > 0 || existsSync(diagnostics)) expectGolden(diagnostics, diagnosticsText(result));
      expect(result.plan, diagnosticsText(result)).toBeDefined();
      expectGolden(`${DIR}/${name.replace(/\.yaml$/, '.plan.json')}`, `${JSON.stringify(result.plan, null, 2)}\n`);
      expect(result.plan!.runs.length).toBeLessThanOrEqual(Number(result.runCount));
    });
  }
});
