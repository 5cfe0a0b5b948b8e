import type { RunConfig } from '../../types/run-config.js';

/** A problem of one resolved run, at a config path; the expander points it at the layer that wrote the path. */
export interface RunProblem {
  readonly code: string;
  readonly path: readonly (string | number)[];
  readonly message: string;
}

export interface RunContext {
  readonly config: RunConfig;
  /** How many repeats the run's experiment asks for (seeds seed .. seed + repeats - 1). */
  readonly repeats: number;
  /** Per-compile memo for rules that check a config section once per distinct section object (see identity-memo.ts). */
  readonly memo: Map<string, (section: object) => readonly RunProblem[]>;
}

/** A check of a resolved run: pure, cheap (it runs once per run of a 100,000-run plan). */
export interface RunRule {
  readonly name: string;
  check(run: RunContext): readonly RunProblem[];
}

/** The shared "no problems" answer: rules run once per run, so they allocate nothing when a run is fine. */
export const NO_PROBLEMS: readonly RunProblem[] = Object.freeze([]);
