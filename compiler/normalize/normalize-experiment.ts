import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { originAt, type NodeLocator, type YamlPath } from '../parse/yaml-nodes.js';
import type { ExperimentInput, JsonValue } from '../types/spec-input.js';
import type { Axis, ExcludeMatch, ExperimentSpec, IncludeRun } from '../types/study.js';
import { flattenBundle, isPlainObject } from './flatten-bundle.js';
import { normalizeMatrix } from './normalize-matrix.js';

export interface ExperimentContext {
  readonly locator: NodeLocator;
  readonly specDir: string;
}

export function normalizeExperiment(
  name: string,
  input: ExperimentInput,
  context: ExperimentContext,
): { experiment: ExperimentSpec; diagnostics: Diagnostic[] } {
  const at: YamlPath = ['experiments', name];
  const { locator, specDir } = context;
  const diagnostics: Diagnostic[] = [];
  const defaults = flattenBundle(input.defaults ?? {}, { locator, yamlPath: [...at, 'defaults'], what: `defaults of experiment ${name}`, specDir });
  diagnostics.push(...defaults.diagnostics);
  const matrix = normalizeMatrix(input.matrix ?? {}, [...at, 'matrix'], { locator, experiment: name, specDir });
  diagnostics.push(...matrix.diagnostics);
  const include: IncludeRun[] = (input.include ?? []).map((entry, i) => {
    const what = `include ${entry.name} of experiment ${name}`;
    const flat = flattenBundle(entry.set, { locator, yamlPath: [...at, 'include', i, 'set'], what, specDir });
    diagnostics.push(...flat.diagnostics);
    return { name: entry.name, assignments: flat.assignments, origin: originAt(locator, [...at, 'include', i, 'name'], what) };
  });
  const exclude = (input.exclude ?? []).map((entry, i) => excludeMatches(entry, matrix.axes, locator, [...at, 'exclude', i], name));
  const search = input.search ?? {};
  const experiment: ExperimentSpec = {
    name,
    title: input.title ?? name,
    ...(input.description === undefined ? {} : { description: input.description }),
    defaults: defaults.assignments,
    axes: matrix.axes,
    include,
    exclude,
    excludeOrigins: exclude.map((_, i) => originAt(locator, [...at, 'exclude', i], `exclude entry of experiment ${name}`)),
    repeats: input.repeats ?? 1,
    search: {
      method: search.method ?? 'grid',
      ...(search.samples === undefined ? {} : { samples: search.samples }),
      seed: search.seed ?? 0,
      ...(search.startup === undefined ? {} : { startup: search.startup }),
      ...(search.candidates === undefined ? {} : { candidates: search.candidates }),
      origin: originAt(locator, input.search ? [...at, 'search'] : at, `search of experiment ${name}`, { key: !input.search }),
    },
    ...(input.early_termination === undefined ? {} : { earlyTermination: earlyTermination(input, locator, at, name) }),
    origin: originAt(locator, at, `experiment ${name}`, { key: true }),
  };
  return { experiment, diagnostics };
}

/** The defaults documented in docs/spec-language.md: val_accuracy, min_epochs 1, reduction_factor 3. */
function earlyTermination(input: ExperimentInput, locator: NodeLocator, at: YamlPath, name: string): ExperimentSpec['earlyTermination'] {
  const written = input.early_termination!;
  return {
    type: written.type,
    metric: written.metric ?? 'val_accuracy',
    min_epochs: written.min_epochs ?? 1,
    reduction_factor: written.reduction_factor ?? 3,
    origin: originAt(locator, [...at, 'early_termination'], `early_termination of experiment ${name}`),
  };
}

/** Exclude keys as axis labels: nested keys are joined until they name an axis (or cannot go deeper). */
function excludeMatches(
  entry: { readonly [key: string]: JsonValue },
  axes: readonly Axis[],
  locator: NodeLocator,
  at: YamlPath,
  experiment: string,
): ExcludeMatch[] {
  const labels = new Set(axes.map((axis) => axis.label));
  const out: ExcludeMatch[] = [];
  const what = `exclude entry of experiment ${experiment}`;
  const walk = (object: { readonly [key: string]: JsonValue }, prefix: string, yamlPath: YamlPath) => {
    for (const [key, value] of Object.entries(object)) {
      const label = prefix + key;
      const here = [...yamlPath, key];
      if (!labels.has(label) && isPlainObject(value) && Object.keys(value).length > 0) {
        walk(value, `${label}.`, here);
      } else {
        out.push({ label, value, keyOrigin: originAt(locator, here, what, { key: true }), valueOrigin: originAt(locator, here, what) });
      }
    }
  };
  walk(entry, '', at);
  return out;
}
