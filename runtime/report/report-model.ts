/**
 * The report model: every number the report shows, computed from stored
 * results by `buildReportModel` (pure). Renderers (HTML, Markdown, CSV, JSON)
 * only format it. Plain readonly JSON: no Dates, no Maps, no absolute paths
 * besides the data roots written in the records, so it can be snapshot-tested.
 */
import type { RunFailure, RunStatus, ClassScores } from '../results/records.js';
import type { SelectMetric } from '../../compiler/types/run-config.js';
import type { SearchProgress } from '../search/search-progress.js';

export type AxisValue = string | number | boolean | null;

/** A mean over the seeds of one configuration; std is the sample std (n - 1), null below two values. */
export interface Aggregate {
  readonly mean: number;
  readonly std: number | null;
  readonly n: number;
}

/** The numbers of one run in one experiment's comparison table. */
export interface RunRow {
  readonly id: string;
  readonly name: string;
  readonly values: Readonly<Record<string, AxisValue>>;
  readonly status: RunStatus;
  readonly seed: number | null;
  /** The kept epoch (record.best_epoch, else the epoch the selection metric picks so far), 1-based. */
  readonly best_epoch: number | null;
  readonly best_val_accuracy: number | null;
  readonly val_loss_at_best: number | null;
  readonly test_accuracy: number | null;
  readonly macro_f1: number | null;
  readonly epochs_run: number;
  readonly epochs_planned: number;
  readonly seconds_per_epoch: number | null;
  /** The value the table is sorted by (see `SelectionRule`); null when the run has no epoch yet. */
  readonly score: number | null;
  /** The rung epoch at which early termination stopped the run; only on runs whose status is `stopped`. */
  readonly stopped_at?: number;
  readonly is_best: boolean;
}

/** What an experiment's early termination did (runtime/report/early-termination-summary.ts). */
export interface EarlyTerminationSummary {
  readonly metric: 'val_accuracy' | 'val_loss';
  readonly min_epochs: number;
  readonly reduction_factor: number;
  /** Rung epochs over the experiment's runs, ascending; marked on the learning curves. */
  readonly rungs: readonly number[];
  readonly stopped_runs: number;
  readonly epochs_trained: number;
  /** The epochs a sweep without early termination trains. */
  readonly epochs_full: number;
  /** epochs_trained / epochs_full, rounded to a whole percent. */
  readonly percent: number;
  /** `Early termination: ASHA on val_accuracy, ... trained 87 of 243 epochs, 36%.` */
  readonly text: string;
}

/** One configuration of an experiment with repeats: its runs' numbers over seeds. */
export interface GroupRow {
  /** The varying values without `repeat`, as `axis=value` joined by commas. */
  readonly label: string;
  readonly values: Readonly<Record<string, AxisValue>>;
  readonly run_ids: readonly string[];
  readonly status_counts: Readonly<Partial<Record<RunStatus, number>>>;
  readonly best_val_accuracy: Aggregate | null;
  readonly val_loss_at_best: Aggregate | null;
  readonly test_accuracy: Aggregate | null;
  readonly macro_f1: Aggregate | null;
  readonly epochs_run: Aggregate | null;
  readonly seconds_per_epoch: Aggregate | null;
  readonly score: number | null;
  readonly is_best: boolean;
}

export interface SelectionRule {
  readonly select: SelectMetric;
  /** The metric sorted by: validation accuracy at the kept epoch (higher first) or validation loss (lower first). */
  readonly metric: 'val_accuracy' | 'val_loss';
  readonly order: 'descending' | 'ascending';
}

export interface CurvePoint {
  readonly run: string;
  readonly group: string;
  readonly epoch: number;
  readonly split: 'train' | 'validation';
  readonly metric: 'accuracy' | 'loss';
  readonly value: number;
}

export interface ExperimentSection {
  readonly name: string;
  readonly title: string;
  /** Axes whose values differ between this experiment's runs, in plan order (`repeat` excluded). */
  readonly varying_axes: readonly string[];
  readonly repeats: boolean;
  readonly selection: SelectionRule;
  /** Every run, sorted by score (best first), runs without a score after, in plan order. */
  readonly rows: readonly RunRow[];
  /** With repeats: one row per configuration, sorted the same way; empty otherwise. */
  readonly groups: readonly GroupRow[];
  readonly best_run: string | null;
  readonly curves: readonly CurvePoint[];
  /** Present when the experiment terminates weak runs early. */
  readonly early_termination?: EarlyTerminationSummary;
  /** A model-based search (tpe): its runs in proposal order with the best so far. */
  readonly search?: SearchProgress;
}

export interface ConfusedPair {
  readonly true_class: string;
  readonly predicted_class: string;
  readonly count: number;
  /** count / support of the true class. */
  readonly fraction: number;
}

export interface GalleryItem {
  /** POSIX path relative to the data root. */
  readonly file: string;
  readonly true_class: string;
  readonly predicted_class: string;
  readonly top3: readonly { readonly class_name: string; readonly probability: number; readonly is_true: boolean }[];
}

export interface RunDetail {
  readonly id: string;
  readonly name: string;
  /** Why it is shown: the best of these experiments, or asked for with --run. */
  readonly best_of: readonly string[];
  readonly requested: boolean;
  readonly status: RunStatus;
  readonly evaluated_epoch: number | null;
  readonly split: 'test' | 'validation' | null;
  readonly accuracy: number | null;
  readonly top3_accuracy: number | null;
  readonly loss: number | null;
  readonly classes: readonly string[];
  readonly confusion: readonly (readonly number[])[] | null;
  readonly per_class: readonly (ClassScores & { readonly class_name: string })[];
  readonly macro_avg: ClassScores | null;
  readonly weighted_avg: ClassScores | null;
  readonly confused_pairs: readonly ConfusedPair[];
  /** Test images with a stored prediction (0 when predictions.jsonl is missing). */
  readonly predictions: number;
  readonly misclassified_total: number;
  readonly gallery: readonly GalleryItem[];
  /** The data root from the record, as written; thumbnails are read from it. */
  readonly data_root: string | null;
}

export interface FailedRun {
  readonly id: string;
  readonly name: string;
  readonly experiments: readonly string[];
  readonly status: 'failed' | 'interrupted';
  readonly failure: RunFailure | null;
}

export interface ReportSummary {
  readonly spec: string;
  readonly name: string;
  readonly description: string | null;
  readonly plan_runs: number;
  readonly experiments: number;
  readonly status_counts: Readonly<Partial<Record<RunStatus, number>>>;
  /** Backend name -> number of runs that used it. */
  readonly backends: Readonly<Record<string, number>>;
  /** Package -> the distinct versions recorded, sorted. */
  readonly versions: Readonly<Record<string, readonly string[]>>;
  readonly compute_seconds: number;
}

export interface ReportModel {
  readonly version: 1;
  readonly summary: ReportSummary;
  readonly experiments: readonly ExperimentSection[];
  readonly details: readonly RunDetail[];
  readonly failed: readonly FailedRun[];
  /** Problems met while reading results (truncated lines, unreadable files), one sentence each. */
  readonly notes: readonly string[];
}
