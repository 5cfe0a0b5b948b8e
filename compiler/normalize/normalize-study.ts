import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { originAt } from '../parse/yaml-nodes.js';
import type { Assignment, ExperimentSpec, ExperimentStudy } from '../types/study.js';
import { flattenBundle } from './flatten-bundle.js';
import type { LoadedSpec } from './load-chain.js';
import { normalizeExperiment } from './normalize-experiment.js';
import { dirOf } from './spec-paths.js';

/**
 * Merge the extends chain (base first) into one study: each file's `data` and
 * `defaults` become ordered layers; experiments of a base are inherited and a
 * same-named experiment in a later file replaces the base's whole experiment.
 */
export function normalizeStudy(files: readonly LoadedSpec[]): { study: ExperimentStudy; diagnostics: Diagnostic[] } {
  const top = files[files.length - 1];
  const specDir = dirOf(top.document.file);
  const diagnostics: Diagnostic[] = [];
  const base: Assignment[] = [];
  const experiments = new Map<string, ExperimentSpec>();
  let name: string | undefined;
  let description: string | undefined;
  for (const { document, input } of files) {
    const locator = document;
    const data = flattenBundle(input.data ?? {}, { locator, yamlPath: ['data'], prefix: ['data'], what: `data of ${document.file}`, specDir });
    const defaults = flattenBundle(input.defaults ?? {}, { locator, yamlPath: ['defaults'], what: `defaults of ${document.file}`, specDir });
    diagnostics.push(...data.diagnostics, ...defaults.diagnostics);
    base.push(...data.assignments, ...defaults.assignments);
    for (const [key, experimentInput] of Object.entries(input.experiments ?? {})) {
      const normalized = normalizeExperiment(key, experimentInput, { locator, specDir });
      diagnostics.push(...normalized.diagnostics);
      experiments.set(key, normalized.experiment);
    }
    name = input.name ?? name;
    description = input.description ?? description;
  }
  const study: ExperimentStudy = {
    spec: top.document.file,
    specDir,
    ...(name === undefined ? {} : { name }),
    ...(description === undefined ? {} : { description }),
    base,
    experiments: [...experiments.values()],
    origin: originAt(top.document, [], `spec ${top.document.file}`),
    experimentsOrigin: originAt(top.document, top.input.experiments ? ['experiments'] : [], 'experiments', { key: true }),
  };
  return { study, diagnostics };
}
