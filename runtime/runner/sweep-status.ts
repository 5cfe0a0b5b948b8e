import type { RunPlan } from '../../compiler/types/plan.js';
import { readRunRecord } from '../results/record-file.js';
import type { EarlyTerminationRecord, RunFailure, RunStatus } from '../results/records.js';
import { runPaths, specPaths } from '../results/run-paths.js';
import { describeOwner, inspectLease } from './lease.js';

export interface RunStatusRow {
  readonly id: string;
  readonly name: string;
  readonly status: RunStatus;
  /** `host:pid` of the runner holding a running run. */
  readonly owner?: string;
  readonly failure?: RunFailure;
  /** Why a `stopped` run was stopped (rung, value, cutoff). */
  readonly stopped?: EarlyTerminationRecord;
  readonly epochsCompleted: number;
  readonly epochs: number;
}

/**
 * Each run's state as stored: no record is pending; a `running` record whose
 * lease is stale or gone belongs to a runner that died, so it is reported
 * interrupted (the next `run` resumes it).
 */
export async function readSweepStatus(plan: RunPlan, resultsDir: string, staleMs?: number): Promise<RunStatusRow[]> {
  const spec = specPaths(resultsDir, plan.name);
  const rows: RunStatusRow[] = [];
  for (const run of plan.runs) {
    const paths = runPaths(spec, run.id);
    const record = await readRunRecord(paths.record);
    const base = { id: run.id, name: run.name, epochs: run.config.epochs, epochsCompleted: record?.epochs_completed ?? 0 };
    if (!record) {
      rows.push({ ...base, status: 'pending' });
    } else if (record.status === 'running') {
      const lease = await inspectLease(paths.lease, staleMs);
      rows.push(
        lease.state === 'held'
          ? { ...base, status: 'running', owner: lease.owner ? describeOwner(lease.owner) : record.owner }
          : { ...base, status: 'interrupted' },
      );
    } else {
      const stopped = record.status === 'stopped' && record.early_termination ? { stopped: record.early_termination } : {};
      rows.push({ ...base, status: record.status, ...(record.failure ? { failure: record.failure } : {}), ...stopped });
    }
  }
  return rows;
}

export const STATUS_ORDER: readonly RunStatus[] = ['completed', 'stopped', 'running', 'interrupted', 'failed', 'pending'];

export function statusTotals(rows: readonly RunStatusRow[]): Record<RunStatus, number> {
  const totals = Object.fromEntries(STATUS_ORDER.map((s) => [s, 0])) as Record<RunStatus, number>;
  for (const row of rows) totals[row.status]++;
  return totals;
}

/** The `sweepspec status` table: one line per run, then the totals. */
export function formatStatus(rows: readonly RunStatusRow[]): string {
  const nameWidth = Math.max(4, ...rows.map((r) => r.name.length));
  const lines = [`${'id'.padEnd(12)}  ${'name'.padEnd(nameWidth)}  ${'epochs'.padStart(7)}  status`];
  for (const row of rows) {
    const epochs = `${row.epochsCompleted}/${row.epochs}`.padStart(7);
    let status: string = row.status;
    if (row.owner) status += ` (${row.owner})`;
    if (row.failure) status += `: ${row.failure.code}: ${row.failure.message}`;
    if (row.stopped) status += ` at epoch ${row.stopped.rung}: ${stoppedReason(row.stopped)}`;
    lines.push(`${row.id.padEnd(12)}  ${row.name.padEnd(nameWidth)}  ${epochs}  ${status}`);
  }
  const totals = statusTotals(rows);
  // `stopped` exists only under early termination: shown when there are some.
  const shown = STATUS_ORDER.filter((s) => s !== 'stopped' || totals.stopped > 0);
  lines.push('', `${rows.length} runs: ${shown.map((s) => `${totals[s]} ${s}`).join(', ')}`);
  return `${lines.join('\n')}\n`;
}

/** `val_accuracy 0.412 < cutoff 0.5 of 4 runs` */
export function stoppedReason(d: EarlyTerminationRecord): string {
  const value = d.value === null ? 'NaN' : formatValue(d.value);
  const worse = d.metric === 'val_loss' ? '>' : '<';
  return d.cutoff === null ? `${d.metric} ${value}` : `${d.metric} ${value} ${worse} cutoff ${formatValue(d.cutoff)} of ${d.count} run${d.count === 1 ? '' : 's'}`;
}

function formatValue(value: number): string {
  return String(Number(value.toPrecision(4)));
}
