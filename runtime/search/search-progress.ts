import type { RunPlan } from '../../compiler/types/plan.js';
import type { ProposalRecord } from './proposal-record.js';

/** One run of a model-based search in the order it was drawn or proposed. */
export interface SearchProgressRow {
  /** 1-based run number in the search. */
  readonly n: number;
  readonly run: string | null;
  readonly name: string | null;
  /** draw: a planned startup draw; tpe: proposed by the model; random: a slot drawn at random (too few finished runs); null: not yet proposed. */
  readonly how: 'draw' | 'tpe' | 'random' | null;
  readonly status: string;
  /** The objective at the run's kept epoch, once completed. */
  readonly value: number | null;
  /** The best objective of runs 1..n (completed ones). */
  readonly best: number | null;
  /** The runs it was proposed from: l(x), g(x), and the pending ones among g(x). */
  readonly from: { readonly below: readonly string[]; readonly above: readonly string[]; readonly pending: readonly string[] } | null;
}

export interface SearchProgress {
  readonly experiment: string;
  readonly metric: 'val_accuracy' | 'val_loss';
  readonly direction: 'maximize' | 'minimize';
  readonly samples: number;
  readonly startup: number;
  readonly rows: readonly SearchProgressRow[];
}

/** What is known of each run: its status and objective value. */
export type RunOutcome = { readonly status: string; readonly value: number | null };

/** Pure: each tpe experiment's runs in order with the best-so-far curve, from the plan, the stored proposals and each run's outcome. */
export function searchProgress(
  plan: RunPlan,
  proposals: ReadonlyMap<string, readonly ProposalRecord[]>,
  outcome: (run: string, metric: 'val_accuracy' | 'val_loss') => RunOutcome,
): SearchProgress[] {
  return plan.experiments.flatMap((experiment) => {
    const search = experiment.search;
    if (!search) return [];
    const bySlot = new Map((proposals.get(experiment.name) ?? []).map((p) => [p.slot, p]));
    const names = new Map(plan.runs.map((r) => [r.id, r.name]));
    const better = (a: number, b: number) => (search.objective.direction === 'maximize' ? a > b : a < b);
    let best: number | null = null;
    const rows: SearchProgressRow[] = [];
    for (let slot = 0; slot < search.samples; slot++) {
      const draw = slot < search.draws.length ? search.draws[slot] : undefined;
      const proposal = slot >= search.startup ? bySlot.get(slot) : undefined;
      const run = draw?.run ?? proposal?.run ?? null;
      const known = run ? outcome(run, search.objective.metric) : { status: 'not proposed', value: null };
      if (known.value !== null && (best === null || better(known.value, best))) best = known.value;
      rows.push({
        n: rows.length + 1,
        run,
        name: run ? (names.get(run) ?? proposal?.name ?? null) : null,
        how: draw ? 'draw' : (proposal?.mode ?? null),
        status: known.status,
        value: known.value,
        best,
        from: proposal ? { below: proposal.below, above: proposal.above, pending: proposal.pending } : null,
      });
    }
    return [{ experiment: experiment.name, metric: search.objective.metric, direction: search.objective.direction, samples: search.samples, startup: search.startup, rows }];
  });
}

/** The `status` text: per search, runs in order with the best so far and what each proposal was made from. */
export function formatSearchProgress(progress: readonly SearchProgress[]): string {
  const blocks = progress.map((search) => {
    const header = ['#', 'run', 'name', 'how', 'status', search.metric, 'best so far', 'proposed from (l: best runs; g: the rest, * pending)'];
    const number = (v: number | null) => (v === null ? '' : v.toFixed(4));
    const rows = search.rows.map((row) => [
      String(row.n),
      row.run ?? '-',
      row.name ?? '',
      row.how ?? '',
      row.status,
      number(row.value),
      number(row.best),
      row.from ? `l: ${row.from.below.join(' ') || '-'}; g: ${row.from.above.map((id) => (row.from!.pending.includes(id) ? `${id}*` : id)).join(' ') || '-'}` : '',
    ]);
    const widths = header.map((_, i) => Math.max(header[i].length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]) => `  ${cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()}`;
    return [
      `${search.experiment}: tpe search, ${search.samples} runs (${search.startup} startup draws), ${search.direction} ${search.metric}`,
      line(header),
      ...rows.map(line),
    ].join('\n');
  });
  return blocks.length ? `\n${blocks.join('\n\n')}\n` : '';
}
