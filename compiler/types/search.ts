import type { RunConfig } from './run-config.js';
import type { JsonValue } from './spec-input.js';

/**
 * A model-based search as planned: the space, the settings, and the config
 * every proposal starts from. The compiler plans the startup draws as runs;
 * the runtime fills the remaining slots one at a time (runtime/search/).
 * Plain JSON, stored in plan.json.
 */
export interface PlannedSearch {
  readonly method: 'tpe';
  /** Runs in all: startup draws plus proposals. */
  readonly samples: number;
  readonly startup: number;
  readonly seed: number;
  /** Candidates drawn from l(x) per proposal. */
  readonly candidates: number;
  /** The experiment's selection metric at each run's kept epoch. */
  readonly objective: { readonly metric: 'val_accuracy' | 'val_loss'; readonly direction: 'maximize' | 'minimize' };
  readonly params: readonly SearchParam[];
  /** The experiment's resolved config before any axis applies (finalised: every default filled). */
  readonly base: RunConfig;
  /** The startup runs in draw order with the point each was drawn at. */
  readonly draws: readonly { readonly run: string; readonly point: SearchPoint }[];
}

/** A matrix axis as a search dimension; `short` names it in run names. */
export type SearchParam =
  | { readonly kind: 'float'; readonly label: string; readonly short: string; readonly path: readonly string[]; readonly low: number; readonly high: number; readonly log: boolean }
  | { readonly kind: 'int'; readonly label: string; readonly short: string; readonly path: readonly string[]; readonly low: number; readonly high: number }
  | { readonly kind: 'categorical'; readonly label: string; readonly short: string; readonly choices: readonly SearchChoice[] };

export interface SearchChoice {
  /** The table cell: the value, or the variant name. */
  readonly cell: string | number | boolean | null;
  readonly nameText: string;
  readonly assignments: readonly { readonly path: readonly string[]; readonly value: JsonValue }[];
}

/**
 * A point of the space: param label -> number (float, int) or choice index
 * (categorical). A param that does not apply to the run (a momentum when the
 * optimizer drawn is adam) is absent.
 */
export type SearchPoint = Readonly<Record<string, number>>;
