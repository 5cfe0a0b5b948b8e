/**
 * StoredResults -> ReportModel: pure, deterministic, no I/O. Every number a
 * renderer shows is computed here.
 */
import type { PlannedExperiment, PlannedRun, RunPlan } from '../../compiler/types/plan.js';
import type { RunStatus } from '../results/records.js';
import type { StoredResults } from './read-results.js';
import type { CurvePoint, ExperimentSection, FailedRun, ReportModel, ReportSummary } from './report-model.js';
import { REPEAT_AXIS, buildGroupRows, buildRunRow, groupLabel, rankRuns, varyingAxes } from './comparison-table.js';
import { selectionRule } from './selection.js';
import { earlyTerminationSummary } from './early-termination-summary.js';
import { buildRunDetail } from './run-detail.js';
import { searchSection } from './search-section.js';
import { UserError } from '../../bin/user-error.js';

export interface BuildReportOptions {
  /** Run ids (resolved with `resolveRunIds`) to show in detail besides each experiment's best. */
  readonly requestedRuns?: readonly string[];
  readonly pairLimit?: number;
  readonly galleryLimit?: number;
}

export function buildReportModel(results: StoredResults, options: BuildReportOptions = {}): ReportModel {
  const { plan } = results;
  const experiments = plan.experiments.map((experiment) => buildExperimentSection(results, experiment));
  const details = detailRuns(plan, experiments, options.requestedRuns ?? []).map(({ run, bestOf, requested }) =>
    buildRunDetail(run, results.runs[run.id], {
      bestOf,
      requested,
      pairLimit: options.pairLimit ?? 5,
      galleryLimit: options.galleryLimit ?? 24,
    }),
  );
  return {
    version: 1,
    summary: buildSummary(results),
    experiments,
    details,
    failed: failedRuns(results),
    notes: results.notes,
  };
}

/** The ids whose predictions the model will use: each experiment's best run and the requested ones. */
export function detailRunIds(results: StoredResults, requested: readonly string[]): string[] {
  const sections = results.plan.experiments.map((experiment) => buildExperimentSection(results, experiment));
  return detailRuns(results.plan, sections, requested).map(({ run }) => run.id);
}

/** Resolves `--run` arguments: a full id, a unique id prefix, or a unique run name. */
export function resolveRunIds(plan: RunPlan, wanted: readonly string[]): string[] {
  return wanted.map((key) => {
    const exact = plan.runs.find((run) => run.id === key);
    if (exact) return exact.id;
    const matches = plan.runs.filter((run) => run.id.startsWith(key) || run.name === key);
    if (matches.length === 1) return matches[0].id;
    if (matches.length === 0) throw new UserError(`--run ${key}: no run of plan ${plan.name} has this id or name`);
    throw new UserError(`--run ${key}: matches ${matches.length} runs (${matches.map((r) => r.id).join(', ')}); give more of the id`);
  });
}

function buildExperimentSection(results: StoredResults, experiment: PlannedExperiment): ExperimentSection {
  const runs = experiment.runs
    .map((id) => results.plan.runs.find((run) => run.id === id))
    .filter((run): run is PlannedRun => run !== undefined);
  const selection = selectionRule(runs[0]?.config.select ?? 'val_accuracy');
  const rows = rankRuns(
    runs.map((run) => buildRunRow(experiment, run, results.runs[run.id], selection)),
    selection,
  );
  const repeats = experiment.axes.includes(REPEAT_AXIS);
  const groups = repeats ? buildGroupRows(rows, selection) : [];
  const bestGroup = groups.find((group) => group.is_best);
  const bestRow = bestGroup ? rows.find((row) => bestGroup.run_ids.includes(row.id) && row.score !== null) : rows.find((r) => r.is_best);
  const curves: CurvePoint[] = [];
  for (const row of [...rows].sort((a, b) => experiment.runs.indexOf(a.id) - experiment.runs.indexOf(b.id))) {
    const group = repeats ? groupLabel(row.values) : row.name;
    for (const m of results.runs[row.id]?.metrics ?? []) {
      curves.push(
        { run: row.name, group, epoch: m.epoch, split: 'train', metric: 'accuracy', value: m.train_accuracy },
        { run: row.name, group, epoch: m.epoch, split: 'validation', metric: 'accuracy', value: m.val_accuracy },
        { run: row.name, group, epoch: m.epoch, split: 'train', metric: 'loss', value: m.train_loss },
        { run: row.name, group, epoch: m.epoch, split: 'validation', metric: 'loss', value: m.val_loss },
      );
    }
  }
  return {
    name: experiment.name,
    title: experiment.title || experiment.name,
    varying_axes: varyingAxes(experiment, runs),
    repeats,
    selection,
    rows,
    groups,
    best_run: bestRow?.id ?? null,
    curves,
    ...searchSection(results, experiment),
    ...optional('early_termination', earlyTerminationSummary(experiment, runs, rows)),
  };
}

function detailRuns(plan: RunPlan, sections: readonly ExperimentSection[], requested: readonly string[]) {
  const order: string[] = [];
  const bestOf = new Map<string, string[]>();
  for (const section of sections) {
    if (!section.best_run) continue;
    if (!bestOf.has(section.best_run)) order.push(section.best_run);
    bestOf.set(section.best_run, [...(bestOf.get(section.best_run) ?? []), section.name]);
  }
  for (const id of requested) if (!order.includes(id)) order.push(id);
  return order.flatMap((id) => {
    const run = plan.runs.find((r) => r.id === id);
    return run ? [{ run, bestOf: bestOf.get(id) ?? [], requested: requested.includes(id) }] : [];
  });
}

function buildSummary(results: StoredResults): ReportSummary {
  const { plan } = results;
  const status_counts: Partial<Record<RunStatus, number>> = {};
  const backends: Record<string, number> = {};
  const versions: Record<string, Set<string>> = {};
  let compute_seconds = 0;
  for (const run of plan.runs) {
    const record = results.runs[run.id]?.record ?? null;
    const status = record?.status ?? 'pending';
    status_counts[status] = (status_counts[status] ?? 0) + 1;
    if (record?.backend) backends[record.backend.name] = (backends[record.backend.name] ?? 0) + 1;
    for (const [pkg, version] of Object.entries(record?.versions ?? {})) (versions[pkg] ??= new Set()).add(version);
    compute_seconds += record?.seconds ?? 0;
  }
  return {
    spec: plan.spec,
    name: plan.name,
    description: plan.description ?? null,
    plan_runs: plan.runs.length,
    experiments: plan.experiments.length,
    status_counts,
    backends: sortedObject(backends),
    versions: Object.fromEntries(
      Object.keys(versions)
        .sort()
        .map((pkg) => [pkg, [...versions[pkg]].sort()]),
    ),
    compute_seconds,
  };
}

function failedRuns(results: StoredResults): FailedRun[] {
  return results.plan.runs.flatMap((run): FailedRun[] => {
    const record = results.runs[run.id]?.record;
    if (!record || (record.status !== 'failed' && record.status !== 'interrupted')) return [];
    return [{ id: run.id, name: run.name, experiments: run.experiments, status: record.status, failure: record.failure ?? null }];
  });
}

function sortedObject<T>(object: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.keys(object).sort().map((key) => [key, object[key]]));
}

/** A key only when there is a value: models of studies without the feature keep their exact shape. */
function optional<K extends string, V>(key: K, value: V | null): { [P in K]?: V } {
  return (value === null ? {} : { [key]: value }) as { [P in K]?: V };
}
