import type { Diagnostic, Origin, Severity } from '../diagnostics/diagnostic.js';
import type { ExperimentStudy } from '../types/study.js';

/** A semantic check over the normalised study (graphql-js style: a name and a pure function). */
export interface StudyRule {
  readonly name: string;
  check(study: ExperimentStudy): Diagnostic[];
}

export function report(origin: Pick<Origin, 'file' | 'path' | 'range'>, code: string, message: string, severity: Severity = 'error'): Diagnostic {
  return { code, severity, message, file: origin.file, path: origin.path, range: origin.range };
}
