import type { PlannedExperiment, PlannedRun, RunPlan } from '../../compiler/types/plan.js';
import { searchPaths, type ProposalRecord } from './proposal-record.js';
import { readProposals } from './read-observations.js';
import { searchDigest, slotRun } from './fill-slot.js';

/**
 * The plan as the results stand: each model-based search's stored proposals
 * appended to its experiment (slot order) and to the runs, so `status` and
 * the report show proposed runs like planned ones. `specRoot` is
 * `results/<spec name>`. Proposals made under other search settings (the
 * run refuses them) are left out. Also returns the proposals by experiment.
 */
export async function withProposals(plan: RunPlan, specRoot: string): Promise<{ plan: RunPlan; proposals: ReadonlyMap<string, readonly ProposalRecord[]> }> {
  if (!plan.experiments.some((e) => e.search)) return { plan, proposals: new Map() };
  const runs = new Map<string, PlannedRun>(plan.runs.map((run) => [run.id, run]));
  const proposals = new Map<string, ProposalRecord[]>();
  const experiments: PlannedExperiment[] = [];
  for (const experiment of plan.experiments) {
    if (!experiment.search) {
      experiments.push(experiment);
      continue;
    }
    const stored = [...(await readProposals(searchPaths({ root: specRoot }, experiment.name))).values()]
      .filter((p) => p.slot < experiment.search!.samples && p.search === searchDigest(experiment.search!))
      .sort((a, b) => a.slot - b.slot);
    proposals.set(experiment.name, stored);
    const ids = [...experiment.runs];
    for (const proposal of stored) {
      const known = runs.get(proposal.run);
      if (!known) runs.set(proposal.run, slotRun(experiment.name, proposal, experiment.search, proposal.point));
      else if (!known.experiments.includes(experiment.name)) {
        runs.set(proposal.run, { ...known, experiments: [...known.experiments, experiment.name], axes: { ...known.axes, [experiment.name]: proposal.cells } });
      }
      if (!ids.includes(proposal.run)) ids.push(proposal.run);
    }
    experiments.push({ ...experiment, runs: ids });
  }
  return { plan: { ...plan, experiments, runs: [...runs.values()] }, proposals };
}
