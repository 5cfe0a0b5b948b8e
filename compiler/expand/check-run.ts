import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { RUN_RULES } from '../rules/run/index.js';
import type { RunContext } from '../rules/run/run-rule.js';
import type { Assignment, ExperimentSpec } from '../types/study.js';
import { applyAssignment, BUILT_IN, originOf, type ConfigState, type Provenance } from './config-state.js';

/** Collects resolved-run diagnostics, one per (code, node, problem) however many runs share it. */
export interface ProblemSink {
  readonly diagnostics: Diagnostic[];
  readonly seen: Set<string>;
  /** Memo of section checks for this compile (see RunContext.memo). */
  readonly memo: RunContext['memo'];
}

export function problemSink(): ProblemSink {
  return { diagnostics: [], seen: new Set(), memo: new Map() };
}

/**
 * Run the resolved-run rules. Only when one fails are the run's layers
 * replayed with provenance, to name the YAML node that wrote the bad value.
 */
export function checkRun(
  run: RunContext,
  layers: () => readonly Assignment[],
  where: { experiment: ExperimentSpec; name: string; sink: ProblemSink },
): boolean {
  for (const rule of RUN_RULES) {
    const problems = rule.check(run);
    if (problems.length === 0) continue;
    const provenance: Provenance = new Map();
    layers().reduce((state: ConfigState, a) => applyAssignment(state, a, provenance), BUILT_IN);
    for (const problem of problems) {
      const written = originOf(provenance, problem.path.map(String));
      const origin = written ?? where.experiment.origin;
      const key = `${problem.code}|${origin.file}|${origin.range?.start.offset}|${problem.message}`;
      if (where.sink.seen.has(key)) continue;
      where.sink.seen.add(key);
      where.sink.diagnostics.push({
        code: problem.code,
        severity: 'error',
        message: `${problem.message} (in run ${where.name} of experiment ${where.experiment.name}${written ? `; from ${written.what}` : ''})`,
        file: origin.file,
        path: origin.path,
        range: origin.range,
      });
    }
    return false;
  }
  return true;
}
