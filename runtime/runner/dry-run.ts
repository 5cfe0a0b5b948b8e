import { runEarlyTermination } from '../../compiler/plan/early-termination-rungs.js';
import type { PlannedRun, RunPlan } from '../../compiler/types/plan.js';
import { readRunRecord } from '../results/record-file.js';
import { runPaths, specPaths } from '../results/run-paths.js';
import { describeOwner, inspectLease } from './lease.js';
import { decideRun, selectRuns, type RunSelection } from './select-runs.js';

export interface PlannedAction {
  readonly run: PlannedRun;
  /** What `run` would do now: `train`, `resume from epoch N`, `retrain`, `skip (completed)`, `wait (held by host:pid)`... */
  readonly action: string;
}

/** `sweepspec run --dry-run`: what a sweep would do with each selected run, without touching anything. */
export async function dryRun(plan: RunPlan, resultsDir: string, selection: RunSelection, staleMs?: number): Promise<PlannedAction[]> {
  const spec = specPaths(resultsDir, plan.name);
  const now = new Date();
  const actions: PlannedAction[] = [];
  for (const run of selectRuns(plan.runs, selection)) {
    const paths = runPaths(spec, run.id);
    const record = await readRunRecord(paths.record);
    const decision = decideRun(record, selection.rerun, now, runEarlyTermination(plan, run) !== null);
    const lease = await inspectLease(paths.lease, staleMs);
    let action: string;
    if (decision.action === 'skip') action = `skip (${decision.reason})`;
    else if (lease.state === 'held') action = `wait (held by ${describeOwner(lease.owner)})`;
    else if (decision.fresh) action = 'retrain from scratch';
    else if (record?.status === 'stopped') action = `continue after epoch ${record.epochs_completed} (stopped early)`;
    else if (record && record.epochs_completed > 0) action = `resume after epoch ${record.epochs_completed}`;
    else action = 'train';
    actions.push({ run, action });
  }
  return actions;
}
