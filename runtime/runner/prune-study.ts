import { readdir, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type CheckpointManifest, MANIFEST_FILE } from '../results/checkpoint-store.js';
import { resumeOnlyFiles } from '../results/compact-run.js';
import { compactAndPackCompletedRun } from './pack-kept-weights.js';
import { treeBytes } from '../results/disk-usage.js';
import { readJsonFile, readRunRecord, writeRunRecord } from '../results/record-file.js';
import { runPaths, type RunPaths, type SpecPaths } from '../results/run-paths.js';
import { acquireLease, inspectLease } from './lease.js';

/**
 * `sweepspec prune` and the disk lines of `status`: what of a study can go.
 * Only completed runs are touched (their optimizer state and superseded
 * checkpoints, with `weights` their kept weights too); running, stopped,
 * interrupted and failed runs keep everything they need to continue or to be
 * inspected. Frozen weights no checkpoint names any more and, with `cache`,
 * the feature cache go only while no runner holds a run of the study. Each
 * run is pruned under its lease, so a runner cannot start on it meanwhile.
 */
export interface PruneOptions {
  /** Also the kept weights of completed runs (the report still works; predict and fine-tuning from them do not). */
  readonly weights?: boolean;
  /** Also the decoded-image and feature cache (.cache). */
  readonly cache?: boolean;
  readonly staleMs?: number;
}

export type PruneWhat = 'superseded checkpoint' | 'optimizer state' | 'leftover file' | 'kept weights' | 'unreferenced initial weights' | 'cache';

export interface PruneItem {
  readonly path: string;
  readonly bytes: number;
  readonly what: PruneWhat;
}

export interface PrunePlan {
  readonly items: readonly PruneItem[];
  /** Completed runs whose folders the plan prunes. */
  readonly runs: readonly string[];
  /** Runs left alone, with why. */
  readonly untouched: readonly { readonly id: string; readonly reason: string }[];
  /** A runner holds a run of the study: the frozen store and the cache are left alone. */
  readonly busy: boolean;
}

const PRUNING = '.checkpoints.pruning';

async function listDir(path: string): Promise<string[]> {
  return readdir(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
}

async function readManifest(dir: string): Promise<CheckpointManifest | null> {
  return readJsonFile<CheckpointManifest>(join(dir, MANIFEST_FILE)).catch(() => null);
}

/** What pruning one completed run removes (checkpoint manifests are read, not verified). */
async function runItems(paths: RunPaths, kept: number, options: PruneOptions): Promise<PruneItem[]> {
  const items: PruneItem[] = [];
  const add = async (path: string, what: PruneWhat) => items.push({ path, bytes: await treeBytes(path), what });
  if ((await listDir(paths.dir)).includes(PRUNING)) await add(join(paths.dir, PRUNING), 'leftover file');
  if (options.weights) {
    if ((await treeBytes(paths.checkpoints)) > 0) await add(paths.checkpoints, 'kept weights');
    return items;
  }
  const keptName = `epoch-${String(kept).padStart(4, '0')}`;
  for (const name of await listDir(paths.checkpoints)) {
    const dir = join(paths.checkpoints, name);
    if (name !== keptName) {
      await add(dir, /^epoch-\d{4,}$/.test(name) ? 'superseded checkpoint' : 'leftover file');
      continue;
    }
    const manifest = await readManifest(dir);
    if (!manifest) continue; // an unusable kept checkpoint stays for the audit
    const resumeOnly = new Set(resumeOnlyFiles(manifest));
    for (const file of await listDir(dir)) {
      if (resumeOnly.has(file)) await add(join(dir, file), 'optimizer state');
      else if (file !== MANIFEST_FILE && !(file in manifest.files)) await add(join(dir, file), 'leftover file');
    }
  }
  return items;
}

/** Frozen-store files named by the checkpoints that stay. */
async function referencedFrozen(spec: SpecPaths, removed: ReadonlySet<string>): Promise<Set<string>> {
  const referenced = new Set<string>();
  for (const id of await listDir(spec.runs)) {
    const checkpoints = runPaths(spec, id).checkpoints;
    if (removed.has(checkpoints)) continue;
    for (const name of await listDir(checkpoints)) {
      const dir = join(checkpoints, name);
      if (removed.has(dir)) continue;
      const manifest = await readManifest(dir);
      for (const shared of Object.values(manifest?.shared ?? {})) referenced.add(resolve(dir, shared.path));
    }
  }
  return referenced;
}

export async function planPrune(spec: SpecPaths, options: PruneOptions = {}): Promise<PrunePlan> {
  const items: PruneItem[] = [];
  const runs: string[] = [];
  const untouched: { id: string; reason: string }[] = [];
  let busy = false;
  for (const id of (await listDir(spec.runs)).sort()) {
    const paths = runPaths(spec, id);
    const lease = await inspectLease(paths.lease, options.staleMs);
    const record = await readRunRecord(paths.record).catch(() => null);
    if (lease.state === 'held') {
      busy = true;
      untouched.push({ id, reason: 'running' });
    } else if (record?.status !== 'completed') {
      untouched.push({ id, reason: `${record?.status ?? 'pending'}: keeps its checkpoints to continue` });
    } else {
      const found = await runItems(paths, record.best_epoch ?? record.epochs_completed, options);
      if (found.length > 0) runs.push(id);
      items.push(...found);
    }
  }
  if (!busy) {
    const referenced = await referencedFrozen(spec, new Set(items.map((item) => item.path)));
    for (const name of await listDir(spec.frozen)) {
      const path = join(spec.frozen, name);
      // Manifests name the file relative to their folder: compare absolute paths (the results folder may be relative).
      if (!referenced.has(resolve(path))) items.push({ path, bytes: await treeBytes(path), what: 'unreferenced initial weights' });
    }
    if (options.cache && (await treeBytes(spec.cache)) > 0) items.push({ path: spec.cache, bytes: await treeBytes(spec.cache), what: 'cache' });
  }
  return { items, runs, untouched, busy };
}

export interface PruneResult {
  readonly freedBytes: number;
  /** Runs a runner took between planning and pruning. */
  readonly skipped: readonly string[];
}

/** Carries out `planPrune` again under each run's lease (so the plan cannot be stale) and returns what was freed. */
export async function prune(spec: SpecPaths, options: PruneOptions = {}): Promise<PruneResult> {
  const plan = await planPrune(spec, options);
  const skipped: string[] = [];
  for (const id of plan.runs) {
    const paths = runPaths(spec, id);
    const lease = await acquireLease(paths.lease, { staleMs: options.staleMs });
    if (!lease) {
      skipped.push(id);
      continue;
    }
    try {
      const record = await readRunRecord(paths.record);
      if (record?.status !== 'completed') {
        skipped.push(id);
        continue;
      }
      const kept = record.best_epoch ?? record.epochs_completed;
      if (options.weights) {
        // The record first: a kill before the rename leaves weights that predict still finds.
        if (!record.weights_pruned) await writeRunRecord(paths.record, { ...record, weights_pruned: true });
        await rename(paths.checkpoints, join(paths.dir, PRUNING)).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'ENOENT') throw error;
        });
      } else {
        await compactAndPackCompletedRun(paths, kept);
      }
      await rm(join(paths.dir, PRUNING), { recursive: true, force: true });
    } finally {
      await lease.release();
    }
  }
  // Shared files go last, from a fresh look: only while no runner holds a run of the study.
  const after = await planPrune(spec, { ...options, weights: false });
  if (!after.busy) {
    for (const item of after.items) {
      if (item.what === 'unreferenced initial weights' || item.what === 'cache') await rm(item.path, { recursive: true, force: true });
    }
  }
  const freedBytes = plan.items.reduce((sum, item) => sum + item.bytes, 0) - (await leftBytes(plan.items));
  return { freedBytes, skipped };
}

async function leftBytes(items: readonly PruneItem[]): Promise<number> {
  let left = 0;
  for (const item of items) left += await treeBytes(item.path);
  return left;
}
