import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../compiler/diagnostics/diagnostic.js';
import { didYouMean } from '../../../compiler/diagnostics/did-you-mean.js';
import { formatDiagnostics } from '../../../compiler/diagnostics/format-diagnostics.js';

const at = (line: number, col: number, offset: number) => ({ line, col, offset });
const diagnostic = (code: string, line: number, col: number, width: number): Diagnostic => ({
  code,
  severity: 'error',
  message: `problem ${code}`,
  file: 'spec.yaml',
  path: [],
  range: { start: at(line, col, 0), end: at(line, col + width, 0) },
});

describe('formatDiagnostics', () => {
  const sources = new Map([['spec.yaml', 'version: 1\nname: x\nepochs: "10"\n']]);

  it('prints file:line:col: severity[CODE]: message and a code frame under the node', () => {
    expect(formatDiagnostics([diagnostic('WRONG_TYPE', 3, 9, 4)], { sources })).toBe(
      'spec.yaml:3:9: error[WRONG_TYPE]: problem WRONG_TYPE\n  |\n3 | epochs: "10"\n  |         ^^^^\n',
    );
  });

  it('caps the number printed and counts the rest', () => {
    const many = Array.from({ length: 5 }, (_, i) => diagnostic(`C${i}`, 1, 1, 1));
    const text = formatDiagnostics(many, { sources, limit: 2, codeFrame: false });
    expect(text.split('\n')).toEqual(['spec.yaml:1:1: error[C0]: problem C0', 'spec.yaml:1:1: error[C1]: problem C1', '... and 3 more', '']);
  });

  it('prints a diagnostic without a node as file: severity[CODE]', () => {
    const text = formatDiagnostics([{ ...diagnostic('SPEC_NOT_FOUND', 1, 1, 1), range: null }], { sources });
    expect(text).toBe('spec.yaml: error[SPEC_NOT_FOUND]: problem SPEC_NOT_FOUND\n');
  });
});

describe('didYouMean', () => {
  it('suggests the closest name within a small distance, and nothing for unrelated words', () => {
    expect(didYouMean('optimiser', ['optimizer', 'schedule'])).toBe('optimizer');
    expect(didYouMean('titel', ['title', 'description'])).toBe('title');
    expect(didYouMean('banana', ['optimizer', 'schedule'])).toBeUndefined();
  });
});
