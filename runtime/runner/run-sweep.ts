import { mkdir } from 'node:fs/promises';
import type { PlannedRun, RunPlan } from '../../compiler/types/plan.js';
import { writeJsonAtomic } from '../results/atomic-write.js';
import { readRunRecord } from '../results/record-file.js';
import type { RunStatus } from '../results/records.js';
import { runPaths, specPaths } from '../results/run-paths.js';
import type { BackendRequest, RunExecutor } from './executor.js';
import { inspectLease, type LeaseOptions } from './lease.js';
import { planSlots, planWithProposals, runSlot, selectSlots, type SearchSlot } from '../search/run-slot.js';
import { earlyTerminationTask } from './early-termination.js';
import { runOne } from './run-one.js';
import { selectRuns, type RunSelection } from './select-runs.js';
import type { SweepEvent, SweepSummary } from './sweep-events.js';

export interface SweepOptions {
  readonly plan: RunPlan;
  /** Folder of the spec file (relative data roots resolve from it). */
  readonly specDir: string;
  readonly resultsDir: string;
  readonly selection: RunSelection;
  /** Runs in flight at once (the executor must allow it: a worker pool for N > 1). */
  readonly jobs: number;
  readonly backend: BackendRequest;
  readonly executor: RunExecutor;
  /** Abort = SIGINT/SIGTERM: running runs stop after their step, no new run starts. */
  readonly signal: AbortSignal;
  readonly lease?: LeaseOptions;
  /** How often to look again at runs other runners hold (default 1 s). */
  readonly pollMs?: number;
  readonly onEvent?: (event: SweepEvent) => void;
  /** When the sweep counts as started for --rerun (default now): a cluster task passes its submission's time, so a requeued task resumes what it began instead of starting over. */
  readonly startedAt?: Date;
}

/**
 * Runs the selected runs of a plan, up to `jobs` at a time. Runs that another
 * runner holds are looked at again once this runner's queue is empty: when
 * that runner finishes them they count as done, and when its lease goes stale
 * (it died) this runner takes them over. So each runner's exit code speaks for
 * its whole selection, and each run is trained exactly once.
 */
export async function runSweep(options: SweepOptions): Promise<SweepSummary> {
  const spec = specPaths(options.resultsDir, options.plan.name);
  await mkdir(spec.runs, { recursive: true });
  await writeJsonAtomic(spec.plan, options.plan);
  const selected = selectRuns(options.plan.runs, options.selection);
  // Proposal slots of model-based searches follow the planned runs; each gets its run when a worker reaches it.
  const slots = selectSlots(options.plan, options.selection);
  const proposedRuns: typeof selected = [];
  const emit = options.onEvent ?? (() => undefined);
  emit({ type: 'sweep-start', total: options.plan.runs.length + planSlots(options.plan).length, selected: selected.length + slots.length });
  const sweepStartedAt = options.startedAt ?? new Date();
  const ran = { completed: 0, failed: 0, interrupted: 0, stopped: 0 };
  let refused = 0;
  const track = (event: SweepEvent) => {
    if (event.type === 'run-end') ran[event.status]++;
    if (event.type === 'run-refused' || event.type === 'proposal-refused') refused++;
    emit(event);
  };

  let queue: (PlannedRun | SearchSlot)[] = [...selected, ...slots];
  const busy: typeof selected = [];
  const common = {
    executor: options.executor,
    rerun: options.selection.rerun,
    sweepStartedAt,
    signal: options.signal,
    lease: options.lease ?? {},
    emit: track,
  };
  const task = { specDir: options.specDir, cacheDir: spec.cache, backend: options.backend };
  const worker = async () => {
    for (let item = queue.shift(); item && !options.signal.aborted; item = queue.shift()) {
      if ('slot' in item) {
        const outcome = await runSlot(spec, options.plan, item, { ...common, task }, (run, proposed) => {
          proposedRuns.push(run);
          track({ type: 'proposal', run, slot: item.label, proposed });
        });
        if ('refused' in outcome) track({ type: 'proposal-refused', slot: item.label, message: outcome.refused });
        else if (outcome.result === 'busy') busy.push(outcome.run);
        continue;
      }
      const run = item;
      const earlyTermination = earlyTerminationTask(await planWithProposals(options.plan, spec), run, spec);
      const result = await runOne({ ...common, task: { ...task, run, paths: runPaths(spec, run.id), earlyTermination } });
      if (result === 'busy') busy.push(run);
    }
  };
  const workers = Math.max(1, Math.min(options.jobs, queue.length));
  await Promise.all(Array.from({ length: workers }, worker));
  while (busy.length > 0 && !options.signal.aborted) {
    await delay(options.pollMs ?? 1000, options.signal);
    const waiting = busy.splice(0);
    queue = [];
    for (const run of waiting) {
      const lease = await inspectLease(runPaths(spec, run.id).lease, options.lease?.staleMs);
      if (lease.state === 'held') busy.push(run);
      else queue.push(run);
    }
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.jobs, queue.length)) }, worker));
  }

  const statuses: Record<string, RunStatus> = {};
  for (const run of [...selected, ...proposedRuns]) {
    statuses[run.id] = (await readRunRecord(runPaths(spec, run.id).record))?.status ?? 'pending';
  }
  return { selected: selected.length + slots.length, ran, statuses, refused, interrupted: options.signal.aborted };
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
