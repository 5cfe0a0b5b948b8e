import type { PlannedRun, RunPlan } from '../../compiler/types/plan.js';
import type { PlannedSearch } from '../../compiler/types/search.js';
import { runPaths, type SpecPaths } from '../results/run-paths.js';
import { runOne, type RunOneOptions, type RunOneResult } from '../runner/run-one.js';
import { inShard } from '../runner/shard.js';
import type { RunSelection } from '../runner/select-runs.js';
import picomatch from 'picomatch';
import { earlyTerminationTask } from '../runner/early-termination.js';
import { fillSlot } from './fill-slot.js';
import { withProposals } from './with-proposals.js';

/** One proposal slot of a plan: slots `startup .. samples-1` of a tpe experiment. */
export interface SearchSlot {
  readonly experiment: string;
  readonly search: PlannedSearch;
  readonly slot: number;
  /** `<experiment>#<n>`, n the 1-based run number in the search (what `--only` matches). */
  readonly label: string;
}

/** Every proposal slot of a plan, experiments in order, then by slot. */
export function planSlots(plan: RunPlan): SearchSlot[] {
  return plan.experiments.flatMap((experiment) => {
    const search = experiment.search;
    if (!search) return [];
    return Array.from({ length: Math.max(0, search.samples - search.startup) }, (_, i) => ({
      experiment: experiment.name,
      search,
      slot: search.startup + i,
      label: `${experiment.name}#${search.startup + i + 1}`,
    }));
  });
}

/**
 * The slots a runner takes: `--shard` continues the plan's run positions
 * (slot k of the plan is at position runs + k), `--only` matches the label.
 */
export function selectSlots(plan: RunPlan, selection: RunSelection): SearchSlot[] {
  const slots = planSlots(plan);
  const positions = [...plan.runs.map(() => null), ...slots];
  const sharded = inShard(positions, selection.shard).filter((s): s is SearchSlot => s !== null);
  if (!selection.only) return sharded;
  const matches = picomatch(selection.only, { dot: true });
  return sharded.filter((slot) => matches(slot.label));
}

export type SlotOutcome =
  | { readonly run: PlannedRun; readonly proposed: boolean; readonly result: RunOneResult }
  | { readonly refused: string };

/**
 * Executes one slot: reads or makes its proposal (fillSlot), then trains its
 * run under the run's lease like any planned run. The unit a batch task
 * (one Slurm array index) runs for a slot.
 */
export async function runSlot(
  spec: SpecPaths,
  plan: RunPlan,
  slot: SearchSlot,
  options: Omit<RunOneOptions, 'task'> & { readonly task: Omit<RunOneOptions['task'], 'run' | 'paths'> },
  onProposal?: (run: PlannedRun, proposed: boolean) => void,
): Promise<SlotOutcome> {
  const filled = await fillSlot(spec, slot.experiment, slot.search, slot.slot, { lease: options.lease, signal: options.signal });
  if ('refused' in filled) return filled;
  onProposal?.(filled.run, filled.proposed);
  // With early_termination the run is ranked at its rungs against the experiment's other runs, proposed ones included.
  const earlyTermination = earlyTerminationTask(await planWithProposals(plan, spec), filled.run, spec);
  const result = await runOne({ ...options, task: { ...options.task, run: filled.run, paths: runPaths(spec, filled.run.id), earlyTermination } });
  return { run: filled.run, proposed: filled.proposed, result };
}

/** The plan with the stored proposals of its searches (the plan itself when it has none). */
export async function planWithProposals(plan: RunPlan, spec: SpecPaths): Promise<RunPlan> {
  return plan.experiments.some((e) => e.search) ? (await withProposals(plan, spec.root)).plan : plan;
}
