import type { RunPlan } from '../../compiler/types/plan.js';
import { readRunRecord } from '../results/record-file.js';
import type { RunRecord } from '../results/records.js';
import { runPaths, specPaths } from '../results/run-paths.js';

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
