import type { RunPlan } from '../../compiler/types/plan.js';
import { readRunRecord } from '../results/record-file.js';
import type { RunRecord } from '../results/records.js';
import { runPaths, specPaths } from '../results/run-paths.js';
import { searchPaths } from '../search/proposal-record.js';
import { readProposals } from '../search/read-observations.js';

/** The stored record of every planned run that has one (a run without a record was never started). */
export async function readPlanRecords(plan: RunPlan, resultsDir: string): Promise<Map<string, RunRecord>> {
  const spec = specPaths(resultsDir, plan.name);
  const records = new Map<string, RunRecord>();
  for (const run of plan.runs) {
    const record = await readRunRecord(runPaths(spec, run.id).record);
    if (record) records.set(run.id, record);
  }
  return records;
}

/**
 * The run each filled proposal slot of the plan's model-based searches
 * proposed, by slot label (`<experiment>#<n>`), with those runs' records added
 * to `records`: what buildTaskList needs to treat a slot like the run it
 * became.
 */
export async function readSlotProposals(plan: RunPlan, resultsDir: string, records: Map<string, RunRecord>): Promise<Map<string, string>> {
  const spec = specPaths(resultsDir, plan.name);
  const proposals = new Map<string, string>();
  for (const experiment of plan.experiments) {
    if (!experiment.search) continue;
    for (const proposal of (await readProposals(searchPaths(spec, experiment.name))).values()) {
      proposals.set(`${experiment.name}#${proposal.slot + 1}`, proposal.run);
      const record = await readRunRecord(runPaths(spec, proposal.run).record);
      if (record) records.set(proposal.run, record);
    }
  }
  return proposals;
}

/** What buildTaskList needs from the results folder: the records of planned and proposed runs, and the run of each filled slot. */
export async function readStoredProgress(plan: RunPlan, resultsDir: string): Promise<{ records: Map<string, RunRecord>; proposals: Map<string, string> }> {
  const records = await readPlanRecords(plan, resultsDir);
  return { records, proposals: await readSlotProposals(plan, resultsDir, records) };
}
