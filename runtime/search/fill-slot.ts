import { mkdir } from 'node:fs/promises';
import { runId } from '../../compiler/plan/canonical-json.js';
import { resolvePoint } from '../../compiler/search/resolve-point.js';
import { RUN_RULES } from '../../compiler/rules/run/index.js';
import type { PlannedRun } from '../../compiler/types/plan.js';
import type { PlannedSearch, SearchPoint } from '../../compiler/types/search.js';
import { writeJsonAtomic } from '../results/atomic-write.js';
import type { SpecPaths } from '../results/run-paths.js';
import { acquireLease, type LeaseOptions } from '../runner/lease.js';
import { searchPaths, type ProposalRecord } from './proposal-record.js';
import { readSearchHistory } from './read-observations.js';
import { proposeTpe } from './tpe/propose.js';

export type SlotResult =
  | { readonly run: PlannedRun; readonly record: ProposalRecord; readonly proposed: boolean }
  | { readonly refused: string };

/** The settings a stored proposal depends on; `samples` is left out so a search can be extended. */
export function searchDigest(search: PlannedSearch): string {
  const { samples: _samples, draws: _draws, ...rest } = search;
  return runId(rest);
}

/** A slot's run as a planned run of its experiment. */
export function slotRun(experiment: string, record: Pick<ProposalRecord, 'run' | 'name' | 'cells'>, search: PlannedSearch, point: SearchPoint): PlannedRun {
  const { config } = resolvePoint(search, point);
  return { id: record.run, name: record.name, experiments: [experiment], axes: { [experiment]: record.cells }, config };
}

/**
 * The run of one proposal slot: read it when stored, else propose it under
 * the experiment's search lock (a lease folder: one proposer at a time
 * across processes and machines) and store it before returning. Lower slots
 * still empty are proposed first, so proposals are always made in slot order
 * and each sees every earlier one (pending ones as constant lies).
 */
export async function fillSlot(
  spec: SpecPaths,
  experiment: string,
  search: PlannedSearch,
  slot: number,
  options: { lease?: LeaseOptions; signal?: AbortSignal; retryMs?: number } = {},
): Promise<SlotResult> {
  const paths = searchPaths(spec, experiment);
  const digest = searchDigest(search);
  await mkdir(paths.dir, { recursive: true });
  for (;;) {
    const stored = (await readSearchHistory(spec, paths, search)).proposals.get(slot);
    if (stored) return asResult(stored, false);
    const lock = await acquireLease(paths.lock, options.lease ?? {});
    if (!lock) {
      if (options.signal?.aborted) return { refused: 'interrupted while waiting for the search lock' };
      await new Promise((resolve) => setTimeout(resolve, options.retryMs ?? 50));
      continue;
    }
    try {
      let result: SlotResult | undefined;
      for (let s = search.startup; s <= slot; s++) {
        const history = await readSearchHistory(spec, paths, search);
        const existing = history.proposals.get(s);
        if (existing) {
          if (s === slot) result = asResult(existing, false);
          continue;
        }
        const record = propose(experiment, search, s, history, digest);
        await writeJsonAtomic(paths.slot(s), record);
        if (s === slot) result = asResult(record, true);
      }
      return result!;
    } finally {
      await lock.release();
    }
  }

  function asResult(record: ProposalRecord, proposed: boolean): SlotResult {
    if (record.search !== digest) {
      return {
        refused:
          `${paths.slot(slot)} was proposed under other search settings (the axes, defaults or tpe options of experiment ${experiment} changed); ` +
          `move ${paths.dir} away to start the search again`,
      };
    }
    return { run: slotRun(experiment, record, search, record.point), record, proposed };
  }
}

function propose(experiment: string, search: PlannedSearch, slot: number, history: Awaited<ReturnType<typeof readSearchHistory>>, digest: string): ProposalRecord {
  const tried = new Set(history.observations.map((o) => o.run));
  const accept = (point: SearchPoint) => {
    const { id, config } = resolvePoint(search, point);
    if (tried.has(id)) return false;
    return RUN_RULES.every((rule) => rule.check({ config, repeats: 1, memo: new Map() }).length === 0);
  };
  const proposal = proposeTpe({
    params: search.params,
    direction: search.objective.direction,
    candidates: search.candidates,
    startup: search.startup,
    seed: search.seed,
    slot,
    observations: history.observations,
    finished: history.finished,
    accept,
  });
  const resolved = resolvePoint(search, proposal.point);
  return {
    experiment,
    slot,
    run: resolved.id,
    name: resolved.name,
    point: resolved.point,
    cells: resolved.cells,
    mode: proposal.mode,
    below: proposal.below,
    above: proposal.above,
    pending: proposal.pending,
    proposed_at: new Date().toISOString(),
    search: digest,
  };
}
