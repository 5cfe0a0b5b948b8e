import { appendFile, mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { PlannedRun } from '../../compiler/types/plan.js';
import { writeJsonAtomic } from '../results/atomic-write.js';
import { formatBytes } from '../results/disk-usage.js';
import { readJsonFile, readRunRecord, writeRunRecord } from '../results/record-file.js';
import type { RunRecord } from '../results/records.js';
import { compactAndPackCompletedRun } from './pack-kept-weights.js';
import { type RunPaths } from '../results/run-paths.js';
import { classifyFailure } from './classify-failure.js';
import type { RunEvent, RunExecution, RunExecutor, RunTask } from './executor.js';
import { acquireLease, describeOwner, inspectLease, type Lease, type LeaseOptions } from './lease.js';
import { decideRun, type RerunMode } from './select-runs.js';
import type { SweepEvent } from './sweep-events.js';

export interface RunOneOptions {
  readonly task: Omit<RunTask, 'fresh'>;
  readonly executor: RunExecutor;
  readonly rerun: RerunMode | undefined;
  readonly sweepStartedAt: Date;
  readonly signal: AbortSignal;
  readonly lease: LeaseOptions;
  readonly emit: (event: SweepEvent) => void;
}

export type RunOneResult = 'done' | 'busy';

/**
 * One run under its lease: decide from the stored record (re-read once the
 * lease is held, so two runners never both train it), refuse a changed
 * config, write the running record, execute, write the final record.
 */
export async function runOne(options: RunOneOptions): Promise<RunOneResult> {
  const { run, paths } = options.task;
  const terminatesEarly = options.task.earlyTermination !== undefined;
  const decide = (record: RunRecord | null) => decideRun(record, options.rerun, options.sweepStartedAt, terminatesEarly);
  const early = decide(await readRunRecord(paths.record));
  if (early.action === 'skip') {
    options.emit({ type: 'run-skip', run, reason: early.reason });
    return 'done';
  }
  const abort = new AbortController();
  const onAbort = () => abort.abort();
  const lease = await acquireLease(paths.lease, { ...options.lease, onLost: onAbort });
  if (!lease) {
    const seen = await inspectLease(paths.lease, options.lease.staleMs);
    options.emit({ type: 'run-busy', run, owner: seen.state === 'free' ? 'another runner' : describeOwner(seen.owner) });
    return 'busy';
  }
  options.signal.addEventListener('abort', onAbort, { once: true });
  try {
    const previous = await readRunRecord(paths.record);
    const decision = decide(previous);
    if (decision.action === 'skip') {
      options.emit({ type: 'run-skip', run, reason: decision.reason });
      return 'done';
    }
    const storedConfig = await readJsonFile<unknown>(paths.config);
    if (storedConfig !== null && !decision.fresh && !isDeepStrictEqual(storedConfig, run.config)) {
      const message =
        `${paths.config} differs from the plan's config for run ${run.id} (${run.name}); ` +
        'the stored results belong to another config. Move that folder away to train this run again.';
      options.emit({ type: 'run-refused', run, message });
      return 'done';
    }
    if (options.signal.aborted) return 'done'; // interrupted while taking the lease: leave the run as it was
    if (decision.fresh) await clearRunFolder(paths);
    await writeJsonAtomic(paths.config, run.config);
    await execute(options, previous, decision.fresh, abort.signal, lease);
    return 'done';
  } finally {
    options.signal.removeEventListener('abort', onAbort);
    await lease.release();
  }
}

async function execute(
  options: RunOneOptions,
  previous: RunRecord | null,
  fresh: boolean,
  signal: AbortSignal,
  lease: Lease,
): Promise<void> {
  const owner = lease.owner;
  const { run, paths } = options.task;
  const startedAt = Date.now();
  const base: RunRecord = fresh || !previous ? { id: run.id, name: run.name, experiments: run.experiments, status: 'running', epochs_completed: 0 } : previous;
  let record: RunRecord = {
    ...base,
    name: run.name,
    experiments: run.experiments,
    status: 'running',
    failure: undefined,
    owner: `${owner.host}:${owner.pid}`,
    started_at: base.started_at ?? new Date(startedAt).toISOString(),
    finished_at: undefined,
  };
  await writeRunRecord(paths.record, record);
  const log = (line: string) => appendFile(paths.log, `${new Date().toISOString()} ${line}\n`).catch(() => undefined);
  await log(`${previous && !fresh ? 'resume' : 'start'} run ${run.id} (${run.name}) on ${record.owner}`);
  options.emit({ type: 'run-start', run, fresh });
  const report = (event: RunEvent) => {
    if (event.type === 'phase') void log(event.phase);
    if (event.type === 'notice') void log(event.message);
    if (event.type === 'epoch-end') void log(`epoch ${event.metrics.epoch} ${JSON.stringify(event.metrics)}`);
    options.emit({ type: 'run-event', run, event });
  };
  // Record writes are chained so that they land in the order they were made.
  let writes: Promise<void> = Promise.resolve();
  let execution: RunExecution;
  try {
    execution = await options.executor({
      ...options.task,
      fresh,
      signal,
      report,
      updateRecord: (patch) => {
        if (lease.lost) return writes;
        record = { ...record, ...patch };
        const snapshot = record;
        writes = writes.then(() => writeRunRecord(paths.record, snapshot));
        return writes;
      },
    });
  } catch (error) {
    execution = { status: 'failed', failure: classifyFailure(error), epochsCompleted: record.epochs_completed };
  }
  await writes.catch(() => undefined);
  const seconds = (Date.now() - startedAt) / 1000;
  if (lease.lost) {
    // Another runner took the run over (this one stalled past the stale timeout): its record wins.
    options.emit({ type: 'run-end', run, status: 'interrupted', seconds });
    return;
  }
  record = {
    ...record,
    status: execution.status,
    failure: execution.failure,
    owner: undefined,
    finished_at: execution.status === 'interrupted' ? undefined : new Date().toISOString(),
    seconds: (previous && !fresh ? (previous.seconds ?? 0) : 0) + seconds,
    epochs_completed: execution.epochsCompleted ?? record.epochs_completed,
    best_epoch: execution.bestEpoch ?? record.best_epoch,
  };
  await writeRunRecord(paths.record, record);
  if (record.status === 'completed') await compactRun(paths, record, log);
  const reason = execution.failure ? `: ${execution.failure.code}: ${execution.failure.message}` : '';
  await log(`${execution.status}${reason}`);
  options.emit({ type: 'run-end', run, status: execution.status, failure: execution.failure, seconds });
}

/**
 * Once the record says completed (never before: an unfinished run resumes
 * from the latest checkpoint and its optimizer state), only the kept epoch's
 * weights stay, packed against the run's initial weights. A failure here costs disk, not the run: `sweepspec prune`
 * finishes the job later.
 */
async function compactRun(paths: RunPaths, record: RunRecord, log: (line: string) => Promise<unknown>): Promise<void> {
  const kept = record.best_epoch ?? record.epochs_completed;
  if (kept < 1) return;
  const result = await compactAndPackCompletedRun(paths, kept).catch(async (error: Error) => {
    await log(`checkpoints not compacted: ${error.message}`);
    return null;
  });
  if (result?.pack?.packed && result.pack.after < result.pack.before) {
    await log(`kept weights packed: ${formatBytes(result.pack.before)} -> ${formatBytes(result.pack.after)} (lossless, against the initial weights)`);
  }
}

/** `--rerun`: everything of an earlier attempt goes, except the lease this runner holds. */
async function clearRunFolder(paths: RunPaths): Promise<void> {
  await mkdir(paths.dir, { recursive: true });
  for (const name of await readdir(paths.dir)) {
    const path = join(paths.dir, name);
    if (path === paths.lease || name.startsWith('lease.')) continue;
    await rm(path, { recursive: true, force: true });
  }
}
