import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile } from '../../../compiler/compile.js';
import { formatPlanTable } from '../../../compiler/plan/format-plan-table.js';
import { corpusHost } from '../corpus-host.js';

const SPEC = 'test/compiler/valid/early-termination.yaml';

function compileText(text: string) {
  const host = { ...corpusHost, readFile: (path: string) => (path === SPEC ? text : corpusHost.readFile(path)) };
  return compile({ specPath: SPEC, host, dataCheck: 'off' });
}

describe('early_termination in the plan', () => {
  it('is a property of the experiment: removing it changes no run id or config', () => {
    const text = readFileSync(SPEC, 'utf8');
    const withIt = compileText(text).plan!;
    const without = compileText(text.replace(/^\s*early_termination:.*$/gm, '')).plan!;
    expect(without.experiments.every((e) => e.early_termination === undefined)).toBe(true);
    expect(withIt.runs).toEqual(without.runs);
    expect(withIt.experiments.map((e) => e.runs)).toEqual(without.experiments.map((e) => e.runs));
  });

  it('fills in the documented defaults', () => {
    const plan = compileText(readFileSync(SPEC, 'utf8')).plan!;
    expect(plan.experiments.map((e) => e.early_termination)).toEqual([
      { type: 'asha', metric: 'val_accuracy', min_epochs: 1, reduction_factor: 3 },
      { type: 'asha', metric: 'val_loss', min_epochs: 2, reduction_factor: 2 },
      undefined,
    ]);
  });

  it('shows the rule and the rungs in the plan table, and that a shared run trains to the end', () => {
    const table = formatPlanTable(compileText(readFileSync(SPEC, 'utf8')).plan!);
    expect(table).toContain('early termination: asha on val_accuracy, reduction factor 3, rungs at epochs 1, 3 of 9');
    expect(table).toContain('early termination: asha on val_loss, reduction factor 2, rungs at epochs 2, 4, 8 of 9');
    expect(table).toMatch(/lr=0\.1 .*\(also in baseline; trains to the end\)/);
  });
});
