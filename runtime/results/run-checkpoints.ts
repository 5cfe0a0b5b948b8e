import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TrainingState } from '../train/types.js';
import type { EpochMetrics } from './records.js';
import type { RunPaths } from './run-paths.js';
import {
  type Checkpoint,
  type CheckpointFile,
  type CheckpointProblem,
  type CheckpointManifest,
  type SharedFile,
  checkpointDirName,
  MANIFEST_FILE,
  pruneCheckpoints,
  scanCheckpoints,
  writeCheckpoint,
} from './checkpoint-store.js';
import { isResumePoint, stripCheckpoint } from './compact-run.js';
import { readJsonFile } from './record-file.js';
import { appendEpochMetrics, rewriteEpochMetrics } from './metrics-log.js';

/**
 * How a run's epochs are persisted and resumed. At each epoch end the metrics
 * line is appended, then a checkpoint with the model files and `state.json`
 * (the TrainingState, history included) is written, then every checkpoint but
 * the latest and the one kept by `select` is pruned, and the kept one, when
 * older, loses its resume-only files (optimizer state): only the latest is
 * resumed from. Resuming takes the latest valid checkpoint that still has
 * them and rewrites metrics.jsonl from its history, so each epoch is recorded
 * exactly once whatever moment the previous attempt died at.
 */
export const STATE_FILE = 'state.json';

export interface ResumePoint {
  readonly checkpoint: Checkpoint;
  readonly state: TrainingState;
}

export interface OpenedRun {
  /** null: start from epoch 1. */
  readonly resume: ResumePoint | null;
  /** Checkpoints that were skipped because they were incomplete or corrupt. */
  readonly problems: readonly CheckpointProblem[];
}

export async function openRunForResume(paths: RunPaths): Promise<OpenedRun> {
  const { valid, problems } = await scanCheckpoints(paths.checkpoints);
  const latest = valid.filter(isResumePoint).at(-1);
  let resume: ResumePoint | null = null;
  if (latest) {
    const state = JSON.parse(await readFile(join(latest.dir, STATE_FILE), 'utf8')) as TrainingState;
    resume = { checkpoint: latest, state };
  }
  await rewriteEpochMetrics(paths.metrics, resume?.state.history ?? []);
  return { resume, problems };
}

export interface EpochToPersist {
  readonly metrics: EpochMetrics;
  readonly state: TrainingState;
  /** Model and optimizer files; state.json is added here. */
  readonly files: readonly CheckpointFile[];
  /** Names among `files` that only a resume needs (dropped from the kept checkpoint once a later epoch exists). */
  readonly resumeOnly?: readonly string[];
  /** Files outside the checkpoint it needs, e.g. `{ frozen: ... }` (checkpoint-store). */
  readonly shared?: Readonly<Record<string, SharedFile>>;
}

export async function persistEpoch(paths: RunPaths, epoch: EpochToPersist): Promise<Checkpoint> {
  await appendEpochMetrics(paths.metrics, epoch.metrics);
  const stateFile: CheckpointFile = {
    name: STATE_FILE,
    bytes: new TextEncoder().encode(`${JSON.stringify(epoch.state)}\n`),
  };
  const checkpoint = await writeCheckpoint(paths.checkpoints, epoch.state.epochsCompleted, [...epoch.files, stateFile], {
    resumeOnly: epoch.resumeOnly,
    shared: epoch.shared,
  });
  await pruneCheckpoints(paths.checkpoints, keptEpochs(epoch.state));
  const kept = keptEpoch(epoch.state);
  if (kept !== checkpoint.epoch) {
    // Only the manifest is read: hashing the kept weights again every epoch would cost what the checkpoint does.
    const dir = join(paths.checkpoints, checkpointDirName(kept));
    const manifest = await readJsonFile<CheckpointManifest>(join(dir, MANIFEST_FILE)).catch(() => null);
    if (manifest && !manifest.stripped) await stripCheckpoint({ epoch: kept, dir, manifest });
  }
  return checkpoint;
}

/** The epoch whose weights `select` keeps: the best one, or the last when nothing is tracked. */
export function keptEpoch(state: TrainingState): number {
  return state.best?.epoch ?? state.epochsCompleted;
}

export function keptEpochs(state: TrainingState): Set<number> {
  return new Set([state.epochsCompleted, keptEpoch(state)]);
}

/** The valid checkpoint of `epoch`, or the problem that makes it unusable. */
export async function findCheckpoint(paths: RunPaths, epoch: number): Promise<Checkpoint | CheckpointProblem | null> {
  const { valid, problems } = await scanCheckpoints(paths.checkpoints);
  return valid.find((c) => c.epoch === epoch) ?? problems.find((p) => p.epoch === epoch) ?? null;
}
