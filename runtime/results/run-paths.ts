import { join } from 'node:path';

/** Where things live under a results folder; the layout is documented in docs/results-layout.md. */
export interface SpecPaths {
  readonly root: string;
  readonly plan: string;
  readonly runs: string;
  /** Frozen-prefix feature caches shared by the spec's runs. */
  readonly cache: string;
  /** Frozen weights stored once for the runs' checkpoints (runtime/runner/frozen-store.ts). */
  readonly frozen: string;
}

export interface RunPaths {
  readonly dir: string;
  readonly config: string;
  readonly record: string;
  readonly metrics: string;
  readonly evaluation: string;
  readonly predictions: string;
  readonly checkpoints: string;
  readonly log: string;
  readonly lease: string;
  /** The study's frozen-weights store (SpecPaths.frozen). */
  readonly frozenStore: string;
}

export function specPaths(resultsDir: string, specName: string): SpecPaths {
  const root = join(resultsDir, specName);
  return { root, plan: join(root, 'plan.json'), runs: join(root, 'runs'), cache: join(root, '.cache'), frozen: join(root, 'frozen') };
}

export function runPaths(spec: SpecPaths, runId: string): RunPaths {
  const dir = join(spec.runs, runId);
  return {
    dir,
    config: join(dir, 'config.json'),
    record: join(dir, 'record.json'),
    metrics: join(dir, 'metrics.jsonl'),
    evaluation: join(dir, 'evaluation.json'),
    predictions: join(dir, 'predictions.jsonl'),
    checkpoints: join(dir, 'checkpoints'),
    log: join(dir, 'run.log'),
    lease: join(dir, 'lease'),
    frozenStore: spec.frozen,
  };
}
