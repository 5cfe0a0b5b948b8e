import type { PlannedRun, RunPlan } from '../../../compiler/types/plan.js';
import { runPaths, specPaths } from '../../results/run-paths.js';
import type { SweepEvent } from '../../runner/sweep-events.js';
import type { ExperimentStudy } from '../../../compiler/types/study.js';
import { studyHParams } from './study-hparams.js';
import { tensorboardDir } from './tensorboard-paths.js';
import { writeRunEvents } from './write-run-events.js';
import { writeStudyEvents } from './write-study-events.js';

export interface LiveWriterOptions {
  readonly plan: RunPlan;
  /** The normalised spec (see studyHParams). */
  readonly study?: ExperimentStudy;
  /** The `--results` folder (the study's files are under `<resultsDir>/<plan name>/`). */
  readonly resultsDir: string;
  /** A write failed: training goes on without TensorBoard files for that moment (the next event retries). */
  readonly onError: (message: string) => void;
}

export interface LiveWriter {
  /** Subscribe to the sweep: study declaration at the start, a run's file at its start, after each epoch and at its end. */
  readonly onEvent: (event: SweepEvent) => void;
  /** Resolves once every write asked for so far is done. */
  flush(): Promise<void>;
}

/**
 * TensorBoard files written while a sweep trains, as a subscriber to the
 * sweep's events: each event re-derives the run's file from the results
 * store (record.json, metrics.jsonl, evaluation.json), which the runner has
 * already written when the event arrives, so the live file is what
 * `export tensorboard` would write at that moment, and a run resumed after
 * kill -9 (whose metrics.jsonl was cut back to its checkpoint) is cut back
 * with it. Writes of one run are chained in event order.
 */
export function liveWriter(options: LiveWriterOptions): LiveWriter {
  const spec = specPaths(options.resultsDir, options.plan.name);
  const outDir = tensorboardDir(spec.root);
  const chains = new Map<string, Promise<void>>();
  const enqueue = (key: string, what: string, job: () => Promise<unknown>) => {
    const next = (chains.get(key) ?? Promise.resolve()).then(job).then(
      () => undefined,
      (error: unknown) => options.onError(`${what}: ${error instanceof Error ? error.message : String(error)}`),
    );
    chains.set(key, next);
  };
  // tpe searches propose runs during the sweep: they join the plan (and the declaration) as they come.
  let plan = options.plan;
  let hparams = studyHParams(plan, options.study);
  const known = new Set(plan.runs.map((run) => run.id));
  const declare = () => enqueue('', 'TensorBoard hparams declaration', () => writeStudyEvents(outDir, plan, hparams));
  const learn = (run: PlannedRun) => {
    if (known.has(run.id)) return;
    known.add(run.id);
    const experiments = plan.experiments.map((e) => (run.experiments.includes(e.name) && !e.runs.includes(run.id) ? { ...e, runs: [...e.runs, run.id] } : e));
    plan = { ...plan, experiments, runs: [...plan.runs, run] };
    hparams = studyHParams(plan, options.study);
    declare();
  };
  const sync = (planned: PlannedRun) => {
    learn(planned);
    enqueue(planned.id, `TensorBoard events of run ${planned.id} (${planned.name})`, async () => {
      await writeRunEvents({ run: planned, paths: runPaths(spec, planned.id), outDir, hparams });
    });
  };
  return {
    onEvent(event) {
      if (event.type === 'sweep-start') declare();
      else if (event.type === 'proposal') learn(event.run);
      else if (event.type === 'run-start' || event.type === 'run-end') sync(event.run);
      else if (event.type === 'run-event' && event.event.type === 'epoch-end') sync(event.run);
      // Runs skipped as done are left as they are: `run` on a finished study stays instant; `export tensorboard` writes them.
    },
    async flush() {
      await Promise.all(chains.values());
    },
  };
}
