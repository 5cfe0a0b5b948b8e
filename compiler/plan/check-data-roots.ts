import { posix } from 'node:path';
import type { Diagnostic, Severity } from '../diagnostics/diagnostic.js';
import { originOf, applyAssignment, BUILT_IN, type Provenance } from '../expand/config-state.js';
import type { CompileHost } from '../host.js';
import type { RunPlan } from '../types/plan.js';
import type { ExperimentStudy } from '../types/study.js';

/**
 * Each distinct data root (and its train folder) must exist: an error for
 * `validate --data` and `run`, a warning for `plan` (a study can be planned
 * before its data is at hand). Points at the base layer that wrote data.root.
 */
export function checkDataRoots(study: ExperimentStudy, plan: RunPlan, options: { host: CompileHost; severity: Severity }): Diagnostic[] {
  const provenance: Provenance = new Map();
  study.base.reduce((state, a) => applyAssignment(state, a, provenance), BUILT_IN);
  const origin = originOf(provenance, ['data', 'root']) ?? study.origin;
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const { config } of plan.runs) {
    const { root, train } = config.data;
    if (seen.has(`${root}\u0000${train}`)) continue;
    seen.add(`${root}\u0000${train}`);
    const rootPath = posix.isAbsolute(root) ? root : posix.join(study.specDir, root);
    const message = !options.host.isDirectory(rootPath)
      ? `data root ${rootPath} does not exist`
      : !options.host.isDirectory(posix.join(rootPath, train))
        ? `training folder ${posix.join(rootPath, train)} does not exist`
        : undefined;
    if (message) out.push({ code: 'DATA_ROOT_MISSING', severity: options.severity, message, file: origin.file, path: origin.path, range: origin.range });
  }
  return out;
}
