import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { originAt, type NodeLocator, type YamlPath } from '../parse/yaml-nodes.js';
import type { JsonValue } from '../types/spec-input.js';
import type { Axis, Variant } from '../types/study.js';
import { joinPath } from '../validate/validate-spec.js';
import { checkFragment } from './check-fragment.js';
import { assignment, flattenBundle, isPlainObject } from './flatten-bundle.js';

const DISTRIBUTIONS = new Set(['uniform', 'loguniform', 'int', 'choice']);

export interface MatrixContext {
  readonly locator: NodeLocator;
  readonly experiment: string;
  readonly specDir: string;
}

/**
 * Classify the axes of a matrix in written order (nested groups walked depth
 * first): a list of `{name, set}` objects is a variant axis, any other list a
 * value axis, `{uniform|loguniform|int|choice: ...}` a distribution. Each value is
 * checked as the setting its axis names.
 */
export function normalizeMatrix(
  matrix: { readonly [key: string]: JsonValue },
  yamlPath: YamlPath,
  context: MatrixContext,
): { axes: Axis[]; diagnostics: Diagnostic[] } {
  const axes: Axis[] = [];
  const diagnostics: Diagnostic[] = [];
  const walk = (object: { readonly [key: string]: JsonValue }, prefix: readonly string[], at: YamlPath) => {
    for (const [key, value] of Object.entries(object)) {
      const path = [...prefix, ...key.split('.')];
      const here = [...at, key];
      if (Array.isArray(value)) {
        const isVariants = value.length > 0 && value.every((entry) => isPlainObject(entry) && 'name' in entry);
        const axis = isVariants ? variantAxis(value, path, here, context, diagnostics) : valueAxis(value, path, here, context, diagnostics, false);
        if (axis) axes.push(axis);
      } else if (isPlainObject(value) && Object.keys(value).length === 1 && DISTRIBUTIONS.has(Object.keys(value)[0])) {
        const axis = distributionAxis(value, path, here, context, diagnostics);
        if (axis) axes.push(axis);
      } else if (isPlainObject(value)) {
        walk(value, path, here);
      }
    }
  };
  walk(matrix, [], yamlPath);
  return { axes, diagnostics };
}

function valueAxis(values: readonly JsonValue[], path: string[], at: YamlPath, context: MatrixContext, diagnostics: Diagnostic[], choice: boolean): Axis | undefined {
  const label = path.join('.');
  const what = `matrix axis ${label} of experiment ${context.experiment}`;
  const before = diagnostics.length;
  values.forEach((value, i) => {
    diagnostics.push(...checkValue(label, value, [...at, i], at, context));
  });
  if (diagnostics.length > before) return undefined;
  const options = { locator: context.locator, yamlPath: at, what, specDir: context.specDir };
  return {
    kind: 'values',
    label,
    path,
    values: values.map((value, i) => assignment(path, value, [...at, i], options)),
    choice,
    origin: originAt(context.locator, at, what, { key: true }),
  };
}

/** A value checked as `{<label>: value}` against the bundle schema: unknown paths and bad values both show. */
function checkValue(label: string, value: JsonValue, valueAt: YamlPath, keyAt: YamlPath, context: MatrixContext): Diagnostic[] {
  return checkFragment(
    'bundle',
    { [label]: value },
    context.locator,
    (segments, key) => (segments.length <= 1 && key ? keyAt : segments.length === 0 ? keyAt.slice(0, -1) : [...valueAt, ...segments.slice(1)]),
    joinPath,
  );
}

function variantAxis(entries: readonly JsonValue[], path: string[], at: YamlPath, context: MatrixContext, diagnostics: Diagnostic[]): Axis | undefined {
  const label = path.join('.');
  const variants: Variant[] = [];
  entries.forEach((entry, i) => {
    const problems = checkFragment('variant', entry, context.locator, (segments) => [...at, i, ...segments]);
    diagnostics.push(...problems);
    if (problems.length > 0 || !isPlainObject(entry)) return;
    const name = String(entry.name);
    const what = `variant ${name} of axis ${label} of experiment ${context.experiment}`;
    const set = isPlainObject(entry.set) ? entry.set : {};
    const flat = flattenBundle(set, { locator: context.locator, yamlPath: [...at, i, 'set'], what, specDir: context.specDir });
    diagnostics.push(...flat.diagnostics);
    variants.push({ name, assignments: flat.assignments, origin: originAt(context.locator, [...at, i, 'name'], what) });
  });
  if (variants.length !== entries.length) return undefined;
  return { kind: 'variants', label, variants, origin: originAt(context.locator, at, `axis ${label} of experiment ${context.experiment}`, { key: true }) };
}

function distributionAxis(value: { readonly [key: string]: JsonValue }, path: string[], at: YamlPath, context: MatrixContext, diagnostics: Diagnostic[]): Axis | undefined {
  const problems = checkFragment('distribution', value, context.locator, (segments) => [...at, ...segments]);
  diagnostics.push(...problems);
  if (problems.length > 0) return undefined;
  const [kind, args] = Object.entries(value)[0] as [string, JsonValue[]];
  if (kind === 'choice') return valueAxis(args, path, [...at, 'choice'], context, diagnostics, true);
  const label = path.join('.');
  const before = diagnostics.length;
  args.forEach((bound, i) => diagnostics.push(...checkValue(label, bound, [...at, kind, i], at, context)));
  if (diagnostics.length > before) return undefined;
  const what = `matrix axis ${label} of experiment ${context.experiment}`;
  return {
    kind: 'distribution',
    label,
    path,
    distribution: kind as 'uniform' | 'loguniform' | 'int',
    low: args[0] as number,
    high: args[1] as number,
    origin: originAt(context.locator, [...at, kind], what),
  };
}
