import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileFile } from '../../bin/load-plan.js';

/** Every spec shipped in specs/ validates and plans (data roots may be absent: user-supplied). */
function specFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return specFiles(full);
    return entry.name.endsWith('.yaml') ? [full] : [];
  });
}

/** Files used only through `extends` hold no experiments; they are checked through the specs that extend them. */
function isStudy(file: string): boolean {
  return /^experiments:/m.test(readFileSync(file, 'utf8'));
}

describe('specs/', () => {
  const files = specFiles('specs').filter(isStudy);

  it('holds the demo and the seed study', () => {
    expect(files).toContain('specs/demo.yaml');
    expect(files).toContain('specs/seed/paintings.yaml');
  });

  it.each(files)('%s validates and plans', (file) => {
    const result = compileFile(file, { dataCheck: 'warn' });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.plan).toBeDefined();
  });

  it('the demo\'s data is embedded in the repository', () => {
    const result = compileFile('specs/demo.yaml', { dataCheck: 'error' });
    expect(result.diagnostics).toEqual([]);
    expect(result.plan!.runs.every((run) => run.config.data.test === 'test')).toBe(true);
  });
});
