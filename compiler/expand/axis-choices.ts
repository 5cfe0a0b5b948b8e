import { canonicalJson } from '../plan/canonical-json.js';
import type { Assignment, Axis, ExperimentSpec } from '../types/study.js';

/** One point on an axis: the assignments it applies and how it reads in names and tables. */
export interface AxisChoice {
  readonly assignments: readonly Assignment[];
  /** The table cell: the value (objects as compact JSON) or the variant name. */
  readonly cell: string | number | boolean | null;
  /** The piece of a run name: `lr=0.001` or a variant name. */
  readonly nameText: string;
}

/** Name keys for value axes: the last path segment, or the whole label where two axes share it. */
export function shortLabels(experiment: ExperimentSpec): Map<string, string> {
  const last = (label: string) => label.split('.').pop()!;
  const counts = new Map<string, number>();
  for (const axis of experiment.axes) counts.set(last(axis.label), (counts.get(last(axis.label)) ?? 0) + 1);
  return new Map(experiment.axes.map((axis) => [axis.label, counts.get(last(axis.label))! > 1 ? axis.label : last(axis.label)]));
}

/** A table cell: scalars as they are, objects and lists as compact JSON in written order. */
export function cellOf(value: unknown): string | number | boolean | null {
  if (value === undefined) return null;
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : JSON.stringify(value);
}

/** Values in run names, without JSON's quotes: `{type:cosine,start_lr:0.005}`, `[0.2,1]`. */
export function nameTextOf(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(nameTextOf).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.entries(value).map(([key, child]) => `${key}:${nameTextOf(child)}`).join(',')}}`;
  }
  return String(value);
}

/** The finite choices of a value or variant axis (distributions are sampled, see sample-random.ts). */
export function axisChoices(axis: Axis, short: string): AxisChoice[] {
  if (axis.kind === 'variants') {
    return axis.variants.map((variant) => ({ assignments: variant.assignments, cell: variant.name, nameText: variant.name }));
  }
  if (axis.kind === 'values') {
    return axis.values.map((value) => ({ assignments: [value], cell: cellOf(value.value), nameText: `${short}=${nameTextOf(value.value)}` }));
  }
  return [];
}

/** Canonical JSON of the values an exclude entry may name on an axis; undefined for distributions. */
export function axisValues(axis: Axis): string[] | undefined {
  if (axis.kind === 'values') return axis.values.map((v) => canonicalJson(v.value));
  if (axis.kind === 'variants') return axis.variants.map((v) => canonicalJson(v.name));
  return undefined;
}
