/**
 * Reads a results directory (`results/<spec name>/`, layout in
 * runtime/results/records.ts) into plain data for `buildReportModel`.
 * Tolerant by design: a sweep may still be running or may have been killed,
 * so a missing run folder means pending, a missing file means "not yet", a
 * truncated last JSONL line is dropped, and anything unreadable becomes a
 * note instead of an error. Only a missing or invalid plan.json is an error.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { RunPlan } from '../../compiler/types/plan.js';
import type { EpochMetrics, ImagePrediction, RunRecord, TestEvaluation } from '../results/records.js';
import { UserError } from '../../bin/user-error.js';
import { inspectLease } from '../runner/lease.js';
import type { ProposalRecord } from '../search/proposal-record.js';
import { withProposals } from '../search/with-proposals.js';

export interface StoredRun {
  readonly id: string;
  readonly record: RunRecord | null;
  readonly metrics: readonly EpochMetrics[];
  readonly evaluation: TestEvaluation | null;
  /** Loaded only for the runs whose detail is shown (`loadPredictions`); null when not loaded. */
  readonly predictions: readonly ImagePrediction[] | null;
}

export interface StoredResults {
  /** The results directory as given. */
  readonly dir: string;
  readonly plan: RunPlan;
  /** Stored proposals of each model-based search, by experiment (their runs are in `plan`). */
  readonly proposals?: ReadonlyMap<string, readonly ProposalRecord[]>;
  /** By run id; every run of the plan has an entry. */
  readonly runs: Readonly<Record<string, StoredRun>>;
  readonly notes: readonly string[];
}

export interface ReadResultsOptions {
  readonly dir: string;
  /**
   * A `running` record whose lease (runs/<id>/lease/) is stale or gone belongs
   * to a runner that died: report it interrupted, as `sweepspec status` does
   * (default true; golden tests turn it off, leases are about wall-clock time).
   */
  readonly checkLeases?: boolean;
  /** The plan to report on (a spec compiled now); default: the results' plan.json. */
  readonly plan?: RunPlan;
}

/** Reads plan, records, metrics and evaluations; predictions wait for `loadPredictions`. */
export async function readResults(options: ReadResultsOptions): Promise<StoredResults> {
  // Runs proposed by a model-based search during the sweep join the plan they were proposed for.
  const { plan, proposals } = await withProposals(options.plan ?? (await readPlan(options.dir)), options.dir);
  const notes: string[] = [];
  const runs: Record<string, StoredRun> = {};
  for (const planned of plan.runs) {
    const runDir = path.join(options.dir, 'runs', planned.id);
    const rel = `runs/${planned.id}`;
    let record = await readJson<RunRecord>(path.join(runDir, 'record.json'), `${rel}/record.json`, notes);
    if (record?.status === 'running' && (options.checkLeases ?? true)) {
      const lease = await inspectLease(path.join(runDir, 'lease'));
      if (lease.state !== 'held') record = { ...record, status: 'interrupted' };
    }
    const metrics = await readJsonLines<EpochMetrics>(path.join(runDir, 'metrics.jsonl'), `${rel}/metrics.jsonl`, notes);
    const evaluation = await readJson<TestEvaluation>(path.join(runDir, 'evaluation.json'), `${rel}/evaluation.json`, notes);
    runs[planned.id] = { id: planned.id, record, metrics, evaluation, predictions: null };
  }
  return { dir: options.dir, plan, runs, notes, ...(proposals.size ? { proposals } : {}) };
}

/** Adds predictions.jsonl of the given runs (a missing file gives an empty list). */
export async function loadPredictions(results: StoredResults, ids: readonly string[]): Promise<StoredResults> {
  const notes = [...results.notes];
  const runs: Record<string, StoredRun> = { ...results.runs };
  for (const id of ids) {
    const run = runs[id];
    if (!run) continue;
    const file = path.join(results.dir, 'runs', id, 'predictions.jsonl');
    const predictions = await readJsonLines<ImagePrediction>(file, `runs/${id}/predictions.jsonl`, notes);
    runs[id] = { ...run, predictions };
  }
  return { ...results, runs, notes };
}

async function readPlan(dir: string): Promise<RunPlan> {
  const planPath = path.join(dir, 'plan.json');
  const planText = await readText(planPath);
  if (planText === null) {
    throw new UserError(`${planPath}: no plan.json here; is this a results directory written by \`sweepspec run\`?`);
  }
  let plan: RunPlan;
  try {
    plan = JSON.parse(planText) as RunPlan;
  } catch (error) {
    throw new UserError(`${planPath}: not valid JSON (${(error as Error).message})`);
  }
  if (plan.version !== 1 || !Array.isArray(plan.runs) || !Array.isArray(plan.experiments)) {
    throw new UserError(`${planPath}: not a version 1 run plan`);
  }
  return plan;
}

async function readText(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

async function readJson<T>(file: string, label: string, notes: string[]): Promise<T | null> {
  const text = await readText(file);
  if (text === null) return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    notes.push(`${label} is not valid JSON (a run may be writing it); ignored.`);
    return null;
  }
}

/** One JSON value per line; a bad last line is a write in progress, a bad inner line is damage. */
async function readJsonLines<T>(file: string, label: string, notes: string[]): Promise<T[]> {
  const text = await readText(file);
  if (text === null) return [];
  const lines = text.split('\n');
  const values: T[] = [];
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    try {
      values.push(JSON.parse(line) as T);
    } catch {
      const last = lines.slice(index + 1).every((rest) => rest.trim() === '');
      notes.push(
        last
          ? `${label}: the last line is incomplete (a run may be writing it); ignored.`
          : `${label}: line ${index + 1} is not valid JSON; ignored.`,
      );
    }
  });
  return values;
}
