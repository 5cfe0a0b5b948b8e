import type { RunPlan } from '../../compiler/types/plan.js';
import { specPaths } from '../results/run-paths.js';
import { dryRun } from '../runner/dry-run.js';
import type { RunSelection } from '../runner/select-runs.js';
import { searchDigest } from './fill-slot.js';
import { searchPaths } from './proposal-record.js';
import { readProposals } from './read-observations.js';
import { selectSlots } from './run-slot.js';

/**
 * `run --dry-run` for a tpe search's slots: a stored proposal is shown with
 * what the sweep would do with its run; an empty slot is proposed when a
 * worker reaches it. Reads only.
 */
export async function dryRunSlots(plan: RunPlan, resultsDir: string, selection: RunSelection): Promise<string[]> {
  const lines: string[] = [];
  const spec = specPaths(resultsDir, plan.name);
  for (const slot of selectSlots(plan, selection)) {
    const stored = (await readProposals(searchPaths(spec, slot.experiment))).get(slot.slot);
    if (!stored) {
      lines.push(`${slot.label}: propose from the results so far, then train`);
    } else if (stored.search !== searchDigest(slot.search)) {
      lines.push(`${slot.label}: refuse (proposed under other search settings)`);
    } else {
      const run = { id: stored.run, name: stored.name, experiments: [slot.experiment], axes: {}, config: slot.search.base };
      const [action] = await dryRun({ ...plan, runs: [run] }, resultsDir, { rerun: selection.rerun });
      lines.push(`${slot.label}: ${stored.run}  ${stored.name}: ${action.action}`);
    }
  }
  return lines;
}
