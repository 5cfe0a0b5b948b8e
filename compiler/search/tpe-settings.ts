import type { SearchSpec } from '../types/study.js';

/** Optuna's TPESampler defaults: n_startup_trials 10, n_ei_candidates 24. */
export const DEFAULT_STARTUP = 10;
export const DEFAULT_CANDIDATES = 24;

/** The tpe settings with defaults filled; startup is at most samples. */
export function tpeSettings(search: SearchSpec): { samples: number; startup: number; seed: number; candidates: number } {
  const samples = search.samples ?? 0;
  return {
    samples,
    startup: Math.min(samples, search.startup ?? DEFAULT_STARTUP),
    seed: search.seed,
    candidates: search.candidates ?? DEFAULT_CANDIDATES,
  };
}
