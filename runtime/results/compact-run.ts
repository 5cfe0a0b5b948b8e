import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { syncDirectory, writeJsonAtomic } from './atomic-write.js';
import { type Checkpoint, type CheckpointManifest, MANIFEST_FILE, pruneCheckpoints, scanCheckpoints } from './checkpoint-store.js';
import type { RunPaths } from './run-paths.js';

/**
 * Dropping what only a resume needs. A checkpoint is stripped by rewriting
 * its manifest without the resume-only files (atomically, marked `stripped`)
 * before deleting them, so a kill at any point leaves a valid checkpoint:
 * files the manifest no longer lists are ignored and removed by the next pass.
 */

/** Checkpoints written before manifests listed them kept their optimizer state under this name. */
const LEGACY_RESUME_ONLY = ['optimizer.safetensors'];

export function resumeOnlyFiles(manifest: CheckpointManifest): string[] {
  if (manifest.stripped) return [];
  const names = manifest.resume_only ?? LEGACY_RESUME_ONLY;
  return names.filter((name) => name in manifest.files);
}

/** True when training can continue from the checkpoint (its resume-only files were never removed). */
export function isResumePoint(checkpoint: Checkpoint): boolean {
  return checkpoint.manifest.stripped !== true;
}

/** Removes a checkpoint's resume-only files and any file its manifest does not list (leftovers of killed writes). */
export async function stripCheckpoint(checkpoint: Checkpoint): Promise<Checkpoint> {
  const drop = new Set(resumeOnlyFiles(checkpoint.manifest));
  let manifest = checkpoint.manifest;
  if (drop.size > 0) {
    const files = Object.fromEntries(Object.entries(manifest.files).filter(([name]) => !drop.has(name)));
    const { resume_only: _resumeOnly, ...rest } = manifest;
    manifest = { ...rest, files, stripped: true };
    await writeJsonAtomic(join(checkpoint.dir, MANIFEST_FILE), manifest);
  }
  for (const name of await readdir(checkpoint.dir)) {
    if (name !== MANIFEST_FILE && !(name in manifest.files)) await rm(join(checkpoint.dir, name), { recursive: true, force: true });
  }
  await syncDirectory(checkpoint.dir);
  return { ...checkpoint, manifest };
}

export interface CompactResult {
  /** false when the kept checkpoint is missing or invalid: then nothing is removed, for the audit. */
  readonly compacted: boolean;
  /** The kept checkpoint, verified and stripped. */
  readonly kept?: Checkpoint;
}

/**
 * A completed run keeps only the checkpoint of the epoch `select` kept,
 * without optimizer state. Call only once its record says `completed`: an
 * unfinished run needs the latest checkpoint and its optimizer to resume.
 */
export async function compactCompletedRun(paths: RunPaths, keptEpoch: number): Promise<CompactResult> {
  const { valid } = await scanCheckpoints(paths.checkpoints);
  const kept = valid.find((checkpoint) => checkpoint.epoch === keptEpoch);
  if (!kept) return { compacted: false };
  const stripped = await stripCheckpoint(kept);
  await pruneCheckpoints(paths.checkpoints, new Set([keptEpoch]));
  return { compacted: true, kept: stripped };
}
