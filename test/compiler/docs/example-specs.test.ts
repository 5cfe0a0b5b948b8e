import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileCorpusFile } from '../corpus-host.js';
import { compile } from '../../../compiler/compile.js';
import { corpusHost } from '../corpus-host.js';

const specs = readdirSync('specs', { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.yaml'))
  .map((file) => posix.join('specs', file))
  .sort();
const EXAMPLES = ['specs/quickstart.yaml', 'specs/overfitting-measures.yaml', 'specs/optimizer-grid.yaml', 'specs/random-search.yaml'];

describe('specs/', () => {
  it.each(specs)('%s names the published schema on its first line', (file) => {
    const first = readFileSync(file, 'utf8').split('\n')[0];
    const match = /^# yaml-language-server: \$schema=(.+)$/.exec(first);
    expect(match, first).not.toBeNull();
    expect(posix.normalize(posix.join(posix.dirname(file), match![1]))).toBe('compiler/spec.schema.json');
    expect(existsSync('compiler/spec.schema.json')).toBe(true);
  });

  it.each(EXAMPLES)('%s validates, data included', (file) => {
    const result = compile({ specPath: file, host: corpusHost, dataCheck: 'error' });
    expect(result.diagnostics).toEqual([]);
    expect(compileCorpusFile(file).plan!.runs.length).toBeGreaterThan(0);
  });
});
