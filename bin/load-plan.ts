import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { compile, DEFAULT_MAX_RUNS, type CompileResult } from '../compiler/compile.js';
import { hasErrors, type Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import { formatDiagnostics } from '../compiler/diagnostics/format-diagnostics.js';
import type { CompileHost } from '../compiler/host.js';
import type { RunPlan } from '../compiler/types/plan.js';
import type { ExperimentStudy } from '../compiler/types/study.js';
import { UserError } from './user-error.js';

export interface LoadPlanOptions {
  /** Refuse studies above this many runs (default 10000). */
  readonly maxRuns?: number;
  /** Missing data roots are errors (true: validate --data, run) or warnings (false, default: plan). */
  readonly checkData?: boolean;
}

export interface LoadedPlan {
  readonly plan: RunPlan;
  /** The spec path as given, POSIX separators (also plan.spec). */
  readonly specPath: string;
  /** Absolute folder of the spec: plan paths (data.root, model.pretrained files) are relative to it. */
  readonly specDir: string;
  readonly warnings: Diagnostic[];
  /** The normalised study behind the plan. */
  readonly study?: ExperimentStudy;
}

/**
 * Compile a spec for a command: prints every diagnostic to stderr in the
 * standard `file:line:col: error[CODE]: message` form and throws UserError
 * (exit 2) when there are errors.
 */
export async function loadPlan(specPath: string, options: LoadPlanOptions = {}): Promise<LoadedPlan> {
  const result = compileFile(specPath, { maxRuns: options.maxRuns, dataCheck: options.checkData ? 'error' : 'warn' });
  printDiagnostics(result);
  if (!result.plan || hasErrors(result.diagnostics)) throw new UserError(errorSummary(result, specPath));
  return {
    plan: result.plan,
    specPath: result.plan.spec,
    specDir: resolve(dirname(specPath)),
    warnings: result.diagnostics.filter((d) => d.severity === 'warning'),
    study: result.study,
  };
}

export function compileFile(specPath: string, options: { maxRuns?: number; dataCheck: 'off' | 'warn' | 'error' }): CompileResult {
  return compile({ specPath, host: fileSystemHost(), maxRuns: options.maxRuns ?? DEFAULT_MAX_RUNS, dataCheck: options.dataCheck });
}

export function printDiagnostics(result: CompileResult): void {
  if (result.diagnostics.length > 0) process.stderr.write(formatDiagnostics(result.diagnostics, { sources: result.sources }));
}

export function errorSummary(result: CompileResult, specPath: string): string {
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  return `${specPath}: ${errors} error${errors === 1 ? '' : 's'}`;
}

/** The real file system, for the CLI edge only. */
export function fileSystemHost(): CompileHost {
  return {
    readFile(path) {
      try {
        return readFileSync(path, 'utf8');
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
        throw new UserError(`cannot read ${path}: ${code === 'EISDIR' ? 'it is a directory' : (error as Error).message}`);
      }
    },
    isDirectory(path) {
      try {
        return statSync(path).isDirectory();
      } catch {
        return false;
      }
    },
  };
}
