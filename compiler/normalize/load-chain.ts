import { posix } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { CompileHost } from '../host.js';
import { parseSpec, type SpecDocument } from '../parse/parse-spec.js';
import { rangeAt } from '../parse/yaml-nodes.js';
import type { SpecInput } from '../types/spec-input.js';
import { validateSpec } from '../validate/validate-spec.js';
import { dirOf, toPosix } from './spec-paths.js';

export interface LoadedSpec {
  readonly document: SpecDocument;
  readonly input: SpecInput;
}

export interface LoadedChain {
  /** The extends chain, base first, top spec last; empty when a file failed. */
  readonly files: readonly LoadedSpec[];
  readonly diagnostics: readonly Diagnostic[];
  /** Text of every file read, for code frames. */
  readonly sources: ReadonlyMap<string, string>;
}

const MAX_CHAIN = 16;

/** Read, parse and validate the top spec and each file it extends (paths relative to the extending file). */
export function loadChain(specPath: string, host: CompileHost): LoadedChain {
  const sources = new Map<string, string>();
  const chain: LoadedSpec[] = [];
  let path = toPosix(specPath);
  for (;;) {
    const child = chain[chain.length - 1];
    const text = host.readFile(path);
    if (text === undefined) {
      const where = child ? extendsNode(child) : { file: path, path: [], range: null };
      const message = child ? `extends: no such file ${path}` : `no such spec file: ${path}`;
      return { files: [], sources, diagnostics: [{ code: child ? 'EXTENDS_NOT_FOUND' : 'SPEC_NOT_FOUND', severity: 'error', message, ...where }] };
    }
    sources.set(path, text);
    const parsed = parseSpec({ path, text });
    const problems = [...parsed.diagnostics];
    const validated = problems.some((d) => d.severity === 'error') ? { diagnostics: [] } : validateSpec(parsed.document);
    problems.push(...validated.diagnostics);
    if (!validated.input) return { files: [], sources, diagnostics: problems };
    const loaded = { document: parsed.document, input: validated.input };
    chain.push(loaded);
    if (validated.input.extends === undefined) break;
    const written = toPosix(validated.input.extends);
    const next = posix.normalize(posix.isAbsolute(written) ? written : posix.join(dirOf(path), written));
    const seen = chain.map((c) => c.document.file);
    if (seen.some((file) => posix.normalize(file) === next) || chain.length >= MAX_CHAIN) {
      const message = seen.some((file) => posix.normalize(file) === next)
        ? `extends cycle: ${[...seen, next].join(' -> ')}`
        : `extends chain longer than ${MAX_CHAIN} files`;
      return { files: [], sources, diagnostics: [{ code: 'EXTENDS_CYCLE', severity: 'error', message, ...extendsNode(loaded) }] };
    }
    path = next;
  }
  return { files: chain.reverse(), sources, diagnostics: [] };
}

function extendsNode(spec: LoadedSpec): Pick<Diagnostic, 'file' | 'path' | 'range'> {
  return { file: spec.document.file, path: ['extends'], range: rangeAt(spec.document, ['extends']) };
}
