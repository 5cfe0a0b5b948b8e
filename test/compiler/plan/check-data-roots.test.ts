import { describe, expect, it } from 'vitest';
import { compile } from '../../../compiler/compile.js';
import { memoryHost } from '../../../compiler/host.js';

const spec = 'version: 1\nname: s\ndata: { root: ../images }\nexperiments:\n  a: { matrix: { seed: [1, 2] } }\n';
const files = { 'specs/s.yaml': spec };

describe('data root checks', () => {
  it('are skipped by validate without --data', () => {
    const result = compile({ specPath: 'specs/s.yaml', host: memoryHost(files), dataCheck: 'off' });
    expect(result.diagnostics).toEqual([]);
  });

  it('warn at plan time, pointing at the node that wrote data.root', () => {
    const result = compile({ specPath: 'specs/s.yaml', host: memoryHost(files), dataCheck: 'warn' });
    expect(result.plan).toBeDefined();
    expect(result.diagnostics).toMatchObject([
      { code: 'DATA_ROOT_MISSING', severity: 'warning', message: 'data root images does not exist', range: { start: { line: 3, col: 15 } } },
    ]);
  });

  it('are errors for validate --data and run, and check the train folder too', () => {
    const result = compile({ specPath: 'specs/s.yaml', host: memoryHost(files, ['images']), dataCheck: 'error' });
    expect(result.plan).toBeUndefined();
    expect(result.diagnostics.map((d) => [d.code, d.severity, d.message])).toEqual([
      ['DATA_ROOT_MISSING', 'error', 'training folder images/train does not exist'],
    ]);
    const ok = compile({ specPath: 'specs/s.yaml', host: memoryHost(files, ['images', 'images/train', 'images/test']), dataCheck: 'error' });
    expect(ok.diagnostics).toEqual([]);
    expect(ok.plan!.runs[0].config.data.test).toBe('test');
  });
});

describe('absolute data roots', () => {
  it('are used as written, for the data check and the default test split', () => {
    const files = { 'specs/abs.yaml': 'version: 1\nname: s\ndata: { root: /srv/images }\nexperiments:\n  a: {}\n' };
    const result = compile({ specPath: 'specs/abs.yaml', host: memoryHost(files, ['/srv/images', '/srv/images/train', '/srv/images/test']), dataCheck: 'error' });
    expect(result.diagnostics).toEqual([]);
    expect(result.plan!.runs[0].config.data).toMatchObject({ root: '/srv/images', test: 'test' });
  });
});
