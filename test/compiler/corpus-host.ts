import { existsSync, readFileSync, statSync } from 'node:fs';
import { compile, type CompileResult } from '../../compiler/compile.js';
import { formatDiagnostics } from '../../compiler/diagnostics/format-diagnostics.js';
import type { CompileHost } from '../../compiler/host.js';

/** The real files of the corpus, read relative to the repository root (vitest's working directory). */
export const corpusHost: CompileHost = {
  readFile: (path) => (existsSync(path) && statSync(path).isFile() ? readFileSync(path, 'utf8') : undefined),
  isDirectory: (path) => existsSync(path) && statSync(path).isDirectory(),
};

export function compileCorpusFile(specPath: string, maxRuns?: number): CompileResult {
  return compile({ specPath, host: corpusHost, dataCheck: 'off', ...(maxRuns === undefined ? {} : { maxRuns }) });
}

/** Golden text of diagnostics: one `file:line:col: severity[CODE]: message` line each, no code frames. */
export function diagnosticsText(result: CompileResult): string {
  return formatDiagnostics(result.diagnostics, { sources: result.sources, codeFrame: false, limit: 1000 });
}
