import { ashaRungs, runEarlyTermination } from '../../compiler/plan/early-termination-rungs.js';
import type { EarlyTermination, PlannedRun, RunPlan } from '../../compiler/types/plan.js';
import { readEpochMetrics } from '../results/metrics-log.js';
import type { EarlyTerminationRecord, EpochMetrics } from '../results/records.js';
import { runPaths, type SpecPaths } from '../results/run-paths.js';
import { decideAtRung } from '../search/asha.js';

/**
 * The reading around runtime/search/asha.ts: which runs a run is ranked
 * against, and their values at a rung as the results folder holds them at
 * decision time. Nothing is kept in memory between decisions, so every runner
 * that shares the results folder (--jobs workers, --shard machines, Slurm
 * tasks) shares one ASHA state.
 */
export interface EarlyTerminationTask {
  /** One entry per experiment of the run, each of which terminates early. */
  readonly experiments: readonly {
    readonly experiment: string;
    readonly rule: EarlyTermination;
    /** metrics.jsonl of the experiment's other runs. */
    readonly others: readonly string[];
  }[];
}

/** What a run's executor needs to decide at its rungs; undefined when some experiment of the run needs it trained to the end. */
export function earlyTerminationTask(plan: RunPlan, run: PlannedRun, spec: SpecPaths): EarlyTerminationTask | undefined {
  const rules = runEarlyTermination(plan, run);
  if (!rules) return undefined;
  return {
    experiments: rules.map(({ experiment, rule }) => ({
      experiment,
      rule,
      others: (plan.experiments.find((e) => e.name === experiment)?.runs ?? []).filter((id) => id !== run.id).map((id) => runPaths(spec, id).metrics),
    })),
  };
}

/** The epochs at which the run can be stopped: rungs of every one of its experiments (a shared run stops only where all agree). */
export function commonRungs(task: EarlyTerminationTask, epochs: number): number[] {
  const [first, ...rest] = task.experiments.map(({ rule }) => ashaRungs(rule, epochs));
  return (first ?? []).filter((rung) => rest.every((rungs) => rungs.includes(rung)));
}

/**
 * The decision after the run completed `epoch` with `metrics` (already in its
 * own metrics.jsonl), or null when `epoch` is no common rung. The run stops
 * only when every experiment stops it; the recorded decision is the first
 * experiment's that keeps it, or the first one's when all stop it.
 */
export async function decideAfterEpoch(
  task: EarlyTerminationTask,
  epochs: number,
  metrics: EpochMetrics,
): Promise<EarlyTerminationRecord | null> {
  if (!commonRungs(task, epochs).includes(metrics.epoch)) return null;
  const decisions: EarlyTerminationRecord[] = [];
  for (const { experiment, rule, others } of task.experiments) {
    const values = await valuesAt(others, metrics.epoch, rule.metric);
    const decision = decideAtRung(rule, metrics.epoch, finite(metrics[rule.metric]), values);
    decisions.push({ ...decision, experiment, value: Number.isFinite(decision.value) ? decision.value : null });
  }
  return decisions.find((d) => d.action === 'continue') ?? decisions[0];
}

/** Each other run's metric at `epoch`, for those that have recorded it; unreadable logs count as not recorded yet. */
async function valuesAt(files: readonly string[], epoch: number, metric: EarlyTermination['metric']): Promise<number[]> {
  const values: number[] = [];
  for (const file of files) {
    let history: EpochMetrics[];
    try {
      history = await readEpochMetrics(file);
    } catch {
      continue; // a log another runner is rewriting, or a corrupt line: that run is left out of this cutoff
    }
    const line = history.find((m) => m.epoch === epoch);
    if (line) values.push(finite(line[metric]));
  }
  return values;
}

/** JSON writes NaN and infinities as null. */
function finite(value: number | null | undefined): number {
  return typeof value === 'number' ? value : Number.NaN;
}

export interface RungGate {
  /** The job's signal, also aborted when the run is stopped at a rung (training then ends after that epoch). */
  readonly signal: AbortSignal;
  /** The stop decision, once taken. */
  stopped(): EarlyTerminationRecord | null;
  /** After an epoch is persisted: decide at a rung, record the decision, and stop training when it says so. */
  afterEpoch(metrics: EpochMetrics): Promise<void>;
}

/**
 * Early termination for one execution of a run, or null when it does not
 * apply: no task (some experiment needs the run in full), or the run was
 * stopped before and is being continued (`--rerun stopped`), which trains it
 * to the end.
 */
export function createRungGate(options: {
  readonly task: EarlyTerminationTask | undefined;
  readonly previous: { readonly early_termination?: EarlyTerminationRecord } | null;
  readonly epochs: number;
  readonly signal: AbortSignal;
  readonly record: (decision: EarlyTerminationRecord) => Promise<void>;
}): RungGate | null {
  const { task } = options;
  if (!task || options.previous?.early_termination?.action === 'stop') return null;
  const stop = new AbortController();
  let stopped: EarlyTerminationRecord | null = null;
  return {
    signal: AbortSignal.any([options.signal, stop.signal]),
    stopped: () => stopped,
    afterEpoch: async (metrics) => {
      if (options.previous?.early_termination?.rung === metrics.epoch) return; // decided by an earlier attempt
      const decision = await decideAfterEpoch(task, options.epochs, metrics);
      if (!decision) return;
      await options.record(decision);
      if (decision.action === 'stop') {
        stopped = decision;
        stop.abort();
      }
    },
  };
}
