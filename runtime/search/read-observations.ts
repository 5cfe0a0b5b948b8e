import { readdir } from 'node:fs/promises';
import type { PlannedSearch } from '../../compiler/types/search.js';
import { readEpochMetrics } from '../results/metrics-log.js';
import { readJsonFile, readRunRecord } from '../results/record-file.js';
import { runPaths, type SpecPaths } from '../results/run-paths.js';
import type { ProposalRecord, SearchPaths } from './proposal-record.js';
import type { Observation } from './tpe/split-observations.js';

export interface SearchHistory {
  /** Startup draws then stored proposals, in slot order. */
  readonly observations: readonly Observation[];
  /** Runs finished in any way (failed included). */
  readonly finished: number;
  readonly proposals: ReadonlyMap<number, ProposalRecord>;
}

/** The stored proposals of an experiment, by slot. */
export async function readProposals(paths: SearchPaths): Promise<Map<number, ProposalRecord>> {
  let names: string[];
  try {
    names = await readdir(paths.dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw error;
  }
  const out = new Map<number, ProposalRecord>();
  for (const name of names.filter((n) => /^slot-\d+\.json$/.test(n)).sort()) {
    const record = await readJsonFile<ProposalRecord>(`${paths.dir}/${name}`);
    if (record) out.set(record.slot, record);
  }
  return out;
}

/**
 * What the model sees: each run of the experiment with its objective (the
 * selection metric at the kept epoch) once completed, or its last value and
 * epoch once stopped early (ASHA); failed runs only count as finished; runs
 * without a final record are pending.
 */
export async function readSearchHistory(spec: SpecPaths, paths: SearchPaths, search: PlannedSearch): Promise<SearchHistory> {
  const proposals = await readProposals(paths);
  const runs = [...search.draws.map((d) => ({ run: d.run, point: d.point })), ...[...proposals.values()].sort((a, b) => a.slot - b.slot)];
  const observations: Observation[] = [];
  let finished = 0;
  for (const { run, point } of runs) {
    const files = runPaths(spec, run);
    const record = await readRunRecord(files.record);
    if (record?.status === 'failed') {
      finished++;
      continue;
    }
    if (record?.status === 'stopped') {
      // Ended early at a rung: its last value, ranked after every completed run (deeper rungs first).
      const last = (await readEpochMetrics(files.metrics)).at(-1);
      finished++;
      if (last && Number.isFinite(last[search.objective.metric])) {
        observations.push({ run, point, state: 'stopped', value: last[search.objective.metric], progress: last.epoch });
      }
      continue;
    }
    if (record?.status !== 'completed') {
      observations.push({ run, point, state: 'pending' });
      continue;
    }
    const metrics = await readEpochMetrics(files.metrics);
    const kept = metrics.find((m) => m.epoch === record.best_epoch) ?? metrics.at(-1);
    finished++;
    if (kept && Number.isFinite(kept[search.objective.metric])) observations.push({ run, point, state: 'completed', value: kept[search.objective.metric] });
  }
  return { observations, finished, proposals };
}
