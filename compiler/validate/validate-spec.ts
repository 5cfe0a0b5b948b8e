import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { SpecDocument } from '../parse/parse-spec.js';
import { rangeAt } from '../parse/yaml-nodes.js';
import { specValidator } from '../schema/ajv-instance.js';
import type { SpecInput } from '../types/spec-input.js';
import { mapAjvErrors, type Segments } from './map-ajv-errors.js';

/** The spec file checked against the published JSON Schema; on success its value is a SpecInput. */
export function validateSpec(document: SpecDocument): { input?: SpecInput; diagnostics: Diagnostic[] } {
  const validate = specValidator();
  if (validate(document.value)) return { input: document.value as SpecInput, diagnostics: [] };
  const diagnostics = mapAjvErrors(validate.errors ?? [], {
    locate: (segments, { key }) => ({ file: document.file, path: segments, range: rangeAt(document, segments, { key }) }),
    display: displaySpecPath,
  });
  return { diagnostics };
}

/** The setting a user reads: the config path inside a bundle, else the path from the top of the file. */
export function displaySpecPath(segments: Segments): string {
  let start = 0;
  segments.forEach((segment, i) => {
    if ((segment === 'defaults' || segment === 'set') && i < segments.length - 1) start = i + 1;
  });
  return joinPath(segments.slice(start));
}

export function joinPath(segments: Segments): string {
  return segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}
