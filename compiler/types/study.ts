import type { Origin } from '../diagnostics/diagnostic.js';
import type { EarlyTermination } from './plan.js';
import type { JsonValue } from './spec-input.js';

/**
 * A study after normalisation: the extends chain merged into ordered layers,
 * every bundle flattened to leaf assignments (dotted and nested forms gone),
 * paths rewritten relative to the top spec's folder, axes classified.
 * Plain readonly data; expansion resolves runs from it.
 */

/** One setting written somewhere: `path` is a config path, `value` already path-rewritten. */
export interface Assignment {
  readonly path: readonly string[];
  readonly value: JsonValue;
  readonly origin: Origin;
}

export interface ValueAxis {
  readonly kind: 'values';
  /** The dotted config path, also the axis label. */
  readonly label: string;
  readonly path: readonly string[];
  /** One assignment per value, in written order. */
  readonly values: readonly Assignment[];
  /** Written as `{choice: [...]}` (random search only). */
  readonly choice: boolean;
  readonly origin: Origin;
}

export interface Variant {
  readonly name: string;
  readonly assignments: readonly Assignment[];
  readonly origin: Origin;
}

export interface VariantAxis {
  readonly kind: 'variants';
  readonly label: string;
  readonly variants: readonly Variant[];
  readonly origin: Origin;
}

export interface DistributionAxis {
  readonly kind: 'distribution';
  readonly label: string;
  readonly path: readonly string[];
  /** `int`: integers from low to high inclusive, each equally likely. */
  readonly distribution: 'uniform' | 'loguniform' | 'int';
  readonly low: number;
  readonly high: number;
  readonly origin: Origin;
}

export type Axis = ValueAxis | VariantAxis | DistributionAxis;

export interface ExcludeMatch {
  /** The axis label as written (dotted; nested keys joined). */
  readonly label: string;
  readonly value: JsonValue;
  readonly keyOrigin: Origin;
  readonly valueOrigin: Origin;
}

export interface IncludeRun {
  readonly name: string;
  readonly assignments: readonly Assignment[];
  readonly origin: Origin;
}

export interface SearchSpec {
  readonly method: 'grid' | 'random' | 'tpe';
  readonly samples?: number;
  readonly seed: number;
  /** tpe only, as written (defaults are filled in compiler/search/search-settings.ts). */
  readonly startup?: number;
  readonly candidates?: number;
  readonly origin: Origin;
}

export interface ExperimentSpec {
  readonly name: string;
  readonly title: string;
  readonly description?: string;
  readonly defaults: readonly Assignment[];
  readonly axes: readonly Axis[];
  readonly include: readonly IncludeRun[];
  readonly exclude: readonly (readonly ExcludeMatch[])[];
  readonly excludeOrigins: readonly Origin[];
  readonly repeats: number;
  readonly search: SearchSpec;
  /** `early_termination` with defaults filled in, and where it was written. */
  readonly earlyTermination?: EarlyTermination & { readonly origin: Origin };
  /** The experiment's key node. */
  readonly origin: Origin;
}

export interface ExperimentStudy {
  /** The top spec path as given (POSIX). */
  readonly spec: string;
  /** Folder of the top spec, against which data and weights paths are stored. */
  readonly specDir: string;
  readonly name?: string;
  readonly description?: string;
  /** data and defaults of each file of the extends chain, base first. */
  readonly base: readonly Assignment[];
  readonly experiments: readonly ExperimentSpec[];
  /** The top file's root node, for study-wide diagnostics. */
  readonly origin: Origin;
  /** The `experiments` key of the top file when present. */
  readonly experimentsOrigin: Origin;
}
