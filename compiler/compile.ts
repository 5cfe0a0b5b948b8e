import { hasErrors, sortDiagnostics, type Diagnostic } from './diagnostics/diagnostic.js';
import { applyAssignment, BUILT_IN } from './expand/config-state.js';
import { problemSink } from './expand/check-run.js';
import { expandExperiment } from './expand/expand-experiment.js';
import { createFinalizer } from './expand/finalize-config.js';
import type { CompileHost } from './host.js';
import { loadChain } from './normalize/load-chain.js';
import { normalizeStudy } from './normalize/normalize-study.js';
import { buildPlan } from './plan/build-plan.js';
import { createRunHasher } from './plan/canonical-json.js';
import { checkDataRoots } from './plan/check-data-roots.js';
import { checkRunCount } from './plan/check-run-count.js';
import { STUDY_RULES } from './rules/index.js';
import type { RunPlan } from './types/plan.js';
import type { ExperimentStudy } from './types/study.js';

export const DEFAULT_MAX_RUNS = 10_000;

export interface CompileOptions {
  /** The top spec file (POSIX, relative to the working directory or absolute). */
  readonly specPath: string;
  readonly host: CompileHost;
  /** Refuse a study above this many runs, before materialising any (default 10000). */
  readonly maxRuns?: number;
  /** Data roots: not checked, missing is a warning (plan), or missing is an error (validate --data, run). */
  readonly dataCheck?: 'off' | 'warn' | 'error';
}

export interface CompileResult {
  /** Present when there are no errors. */
  readonly plan?: RunPlan;
  /** Errors and warnings, sorted by file and position, duplicates removed. */
  readonly diagnostics: readonly Diagnostic[];
  /** Text of every spec file read (for code frames). */
  readonly sources: ReadonlyMap<string, string>;
  /** Runs before cross-experiment dedupe, when counted. */
  readonly runCount?: bigint;
  /** The normalised study the plan was expanded from (with the plan): axis kinds and distributions for exports. */
  readonly study?: ExperimentStudy;
}

/** The whole compiler: parse, validate, normalise, check, count, expand, plan. Pure given its host. */
export function compile(options: CompileOptions): CompileResult {
  const chain = loadChain(options.specPath, options.host);
  const { sources } = chain;
  const done = (diagnostics: readonly Diagnostic[], extra: Partial<CompileResult> = {}): CompileResult => ({
    diagnostics: dedupe(sortDiagnostics(diagnostics)),
    sources,
    ...extra,
  });
  if (chain.files.length === 0) return done(chain.diagnostics);
  const { study, diagnostics } = normalizeStudy(chain.files);
  if (hasErrors(diagnostics)) return done(diagnostics);
  diagnostics.push(...STUDY_RULES.flatMap((rule) => rule.check(study)));
  if (hasErrors(diagnostics)) return done(diagnostics);
  const count = checkRunCount(study, options.maxRuns ?? DEFAULT_MAX_RUNS);
  diagnostics.push(...count.diagnostics);
  if (hasErrors(diagnostics)) return done(diagnostics, { runCount: count.total });
  const sink = problemSink();
  const finalize = createFinalizer({ specDir: study.specDir, isDirectory: (path: string) => options.host.isDirectory(path) });
  const hash = createRunHasher();
  const base = study.base.reduce((state, a) => applyAssignment(state, a), BUILT_IN);
  const expanded = study.experiments.map((experiment) => {
    const result = expandExperiment(experiment, { base, baseAssignments: study.base, finalize, hash, sink });
    diagnostics.push(...result.diagnostics);
    return { experiment, runs: result.runs, search: result.search };
  });
  diagnostics.push(...sink.diagnostics);
  if (hasErrors(diagnostics)) return done(diagnostics, { runCount: count.total });
  const { plan, diagnostics: planWarnings } = buildPlan(study, expanded);
  diagnostics.push(...planWarnings);
  if ((options.dataCheck ?? 'warn') !== 'off') {
    diagnostics.push(...checkDataRoots(study, plan, { host: options.host, severity: options.dataCheck === 'error' ? 'error' : 'warning' }));
  }
  return done(diagnostics, hasErrors(diagnostics) ? { runCount: count.total } : { plan, runCount: count.total, study });
}

function dedupe(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.file}|${d.range?.start.offset}|${d.code}|${d.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}
