/**
 * The contract of the results store: what a run writes under
 * `results/<spec name>/runs/<id>/` and what the report reads. Plain JSON.
 * Layout (docs/results-layout.md describes it for users):
 *
 *   results/<spec name>/plan.json           RunPlan of the last `run`
 *   results/<spec name>/runs/<id>/config.json       RunConfig
 *   results/<spec name>/runs/<id>/record.json       RunRecord
 *   results/<spec name>/runs/<id>/metrics.jsonl     EpochMetrics, one line per completed epoch
 *   results/<spec name>/runs/<id>/evaluation.json   TestEvaluation of the kept weights
 *   results/<spec name>/runs/<id>/predictions.jsonl ImagePrediction, one line per test image
 *   results/<spec name>/runs/<id>/checkpoints/...   weights, optimizer state, manifest
 *   results/<spec name>/runs/<id>/run.log
 */

/** `stopped`: ended early by the experiment's early_termination (ASHA); it keeps its checkpoint and can be continued. */
export type RunStatus = 'pending' | 'running' | 'completed' | 'failed' | 'interrupted' | 'stopped';

/** The last early-termination (ASHA) decision taken for a run, at a rung epoch. */
export interface EarlyTerminationRecord {
  readonly action: 'continue' | 'stop';
  /** The experiment whose rule decided (the first one, for a run shared by several). */
  readonly experiment: string;
  /** The rung epoch (1-based) the decision was taken at. */
  readonly rung: number;
  readonly metric: 'val_accuracy' | 'val_loss';
  /** The run's metric at the rung; null when it was not finite. */
  readonly value: number | null;
  /** The value to reach; null when no other run had recorded the rung. */
  readonly cutoff: number | null;
  /** How many other runs' values at the rung the cutoff came from. */
  readonly count: number;
}

export interface RunFailure {
  /** Stable code: NON_FINITE_LOSS, BAD_IMAGE, OUT_OF_MEMORY, DISK_FULL, DATASET_CHANGED, ... */
  readonly code: string;
  readonly message: string;
  readonly epoch?: number;
  readonly step?: number;
}

export interface BackendChoice {
  readonly name: 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';
  /** Why each better backend was not used. */
  readonly skipped: readonly { readonly name: string; readonly reason: string }[];
  readonly threads?: number;
}

export interface RunRecord {
  readonly id: string;
  readonly name: string;
  readonly experiments: readonly string[];
  readonly status: RunStatus;
  readonly failure?: RunFailure;
  readonly backend?: BackendChoice;
  readonly versions?: Readonly<Record<string, string>>;
  readonly parameters?: { readonly total: number; readonly trainable: number };
  readonly classes?: readonly string[];
  readonly dataset?: {
    /** Absolute path of the data root on the machine that ran it. */
    readonly root: string;
    readonly fingerprint: string;
    readonly counts: { readonly train: number; readonly validation: number; readonly test: number };
    readonly skipped_images: number;
  };
  /** Host and pid of the runner that holds the run while it is running. */
  readonly owner?: string;
  readonly started_at?: string;
  readonly finished_at?: string;
  /** Training and evaluation seconds over every attempt. */
  readonly seconds?: number;
  readonly epochs_completed: number;
  /** The epoch whose weights were kept by `select` (1-based). */
  readonly best_epoch?: number;
  /** Present once early termination decided at a rung; `stop` with status `stopped` until the run is continued. */
  readonly early_termination?: EarlyTerminationRecord;
  /** True once `sweepspec prune --weights` removed the kept weights (the report still works, predict does not). */
  readonly weights_pruned?: boolean;
}

export interface EpochMetrics {
  /** 1-based. */
  readonly epoch: number;
  readonly train_loss: number;
  readonly train_accuracy: number;
  readonly val_loss: number;
  readonly val_accuracy: number;
  /** Learning rate at the epoch's first step. */
  readonly lr: number;
  /** Learning rate at the epoch's last step (differs under cosine schedules). */
  readonly lr_end: number;
  readonly seconds: number;
  readonly images_per_second: number;
}

export interface ClassScores {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly support: number;
}

/** sklearn's classification_report semantics, zero division -> 0. */
export interface ClassificationReport {
  readonly classes: readonly string[];
  readonly per_class: readonly ClassScores[];
  readonly accuracy: number;
  readonly macro_avg: ClassScores;
  readonly weighted_avg: ClassScores;
}

export interface TestEvaluation {
  /** The epoch whose weights were evaluated. */
  readonly epoch: number;
  readonly split: 'test' | 'validation';
  readonly accuracy: number;
  readonly loss: number;
  readonly top3_accuracy: number;
  /** Mean predictive entropy -sum p log p, nats. */
  readonly mean_entropy: number;
  /** confusion[true][predicted] counts. */
  readonly confusion: readonly (readonly number[])[];
  readonly report: ClassificationReport;
}

export interface ImagePrediction {
  /** POSIX path relative to the data root. */
  readonly file: string;
  readonly true_class: number;
  readonly predicted_class: number;
  readonly probabilities: readonly number[];
}
