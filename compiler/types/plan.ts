import type { RunConfig } from './run-config.js';
import type { PlannedSearch } from './search.js';

/** One concrete run of a plan. Runs shared by several experiments appear once. */
export interface PlannedRun {
  /** 12 hex chars: a hash of the canonical RunConfig. */
  readonly id: string;
  /** Axis assignments, short and readable: `arch=resnet18`, `lr=0.001,type=sgd`, `dropout`, `#2` for a repeat. */
  readonly name: string;
  readonly experiments: readonly string[];
  /** The values that vary within each experiment, keyed by experiment then axis label (for tables). */
  readonly axes: Readonly<Record<string, Readonly<Record<string, string | number | boolean | null>>>>;
  readonly config: RunConfig;
}

export type EarlyTerminationMetric = 'val_accuracy' | 'val_loss';

/** An experiment's `early_termination`, defaults filled in (docs/spec-language.md). */
export interface EarlyTermination {
  readonly type: 'asha';
  readonly metric: EarlyTerminationMetric;
  readonly min_epochs: number;
  readonly reduction_factor: number;
}

export interface PlannedExperiment {
  readonly name: string;
  readonly title: string;
  /** Axis labels in written order (value axes by config path, variant axes by their key), then `repeat` when repeats > 1. */
  readonly axes: readonly string[];
  readonly runs: readonly string[];
  /** Model-based search (tpe): `runs` are its startup draws; the other samples are proposal slots filled during the sweep. */
  readonly search?: PlannedSearch;
  /** Present when the experiment stops weak runs early; not part of any run's config, so run ids do not change. */
  readonly early_termination?: EarlyTermination;
}

/** `sweepspec plan --json`: stable bytes for the same spec. */
export interface RunPlan {
  readonly version: 1;
  /** The spec path as the user gave it, POSIX separators. */
  readonly spec: string;
  readonly name: string;
  readonly description?: string;
  readonly experiments: readonly PlannedExperiment[];
  readonly runs: readonly PlannedRun[];
}
