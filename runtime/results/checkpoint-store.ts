import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { syncDirectory, writeFileAtomic, writeJsonAtomic } from './atomic-write.js';

/**
 * Checkpoints are folders `checkpoints/epoch-NNNN/` holding named files
 * (weights, optimizer state, state.json) and a `manifest.json` with the sha256
 * and size of every file. The manifest is written last, after every file is
 * fsynced, so a folder without a valid manifest is an interrupted write; a
 * file that no longer matches its digest is corruption. Either way the folder
 * is reported and an earlier valid checkpoint is used.
 */
export const MANIFEST_FILE = 'manifest.json';

export interface CheckpointFile {
  readonly name: string;
  /** The bytes, or a function producing them (called while the checkpoint is being written). */
  readonly bytes: Uint8Array | (() => Promise<Uint8Array>);
}

export interface FileDigest {
  readonly sha256: string;
  readonly bytes: number;
}

/** A file outside the checkpoint folder that it needs (the weights the run started from, stored once per study). */
export interface SharedFile extends FileDigest {
  /** Relative to the checkpoint folder. */
  readonly path: string;
}

export interface CheckpointManifest {
  readonly version: 1;
  readonly epoch: number;
  readonly files: Readonly<Record<string, FileDigest>>;
  /** Shared files by role (`frozen`), verified like the checkpoint's own. */
  readonly shared?: Readonly<Record<string, SharedFile>>;
  /** Files only a resume needs (optimizer state); they go once the epoch is superseded or the run completes. */
  readonly resume_only?: readonly string[];
  /** True once the resume-only files were removed: the weights stay usable, training cannot continue from here. */
  readonly stripped?: boolean;
  /** Why the kept model file of a completed run was left unpacked (runtime/runner/pack-kept-weights.ts). */
  readonly not_packed?: string;
}

export interface CheckpointWriteOptions {
  readonly shared?: Readonly<Record<string, SharedFile>>;
  readonly resumeOnly?: readonly string[];
}

export interface Checkpoint {
  readonly epoch: number;
  readonly dir: string;
  readonly manifest: CheckpointManifest;
}

export interface CheckpointProblem {
  readonly epoch: number;
  readonly dir: string;
  readonly code: 'CHECKPOINT_INCOMPLETE' | 'CHECKPOINT_CORRUPT';
  readonly message: string;
}

export function checkpointDirName(epoch: number): string {
  return `epoch-${String(epoch).padStart(4, '0')}`;
}

function epochOf(name: string): number | null {
  const match = /^epoch-(\d{4,})$/.exec(name);
  return match ? Number(match[1]) : null;
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Writes epoch `epoch`'s checkpoint, replacing any earlier (invalid) folder of that epoch. */
export async function writeCheckpoint(
  checkpointsDir: string,
  epoch: number,
  files: readonly CheckpointFile[],
  options: CheckpointWriteOptions = {},
): Promise<Checkpoint> {
  const dir = join(checkpointsDir, checkpointDirName(epoch));
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await syncDirectory(checkpointsDir);
  const entries: Record<string, { sha256: string; bytes: number }> = {};
  for (const file of files) {
    if (file.name === MANIFEST_FILE || !/^[\w.-]+$/.test(file.name)) {
      throw new Error(`invalid checkpoint file name ${JSON.stringify(file.name)}`);
    }
    const bytes = typeof file.bytes === 'function' ? await file.bytes() : file.bytes;
    await writeFileAtomic(join(dir, file.name), bytes);
    entries[file.name] = { sha256: sha256(bytes), bytes: bytes.byteLength };
  }
  const manifest: CheckpointManifest = {
    version: 1, epoch, files: entries,
    ...(options.shared ? { shared: options.shared } : {}),
    ...(options.resumeOnly?.length ? { resume_only: options.resumeOnly } : {}),
  };
  await writeJsonAtomic(join(dir, MANIFEST_FILE), manifest);
  return { epoch, dir, manifest };
}

/** Verifies one checkpoint folder against its manifest. */
export async function verifyCheckpoint(dir: string, epoch: number): Promise<Checkpoint | CheckpointProblem> {
  const problem = (code: CheckpointProblem['code'], message: string): CheckpointProblem => ({ epoch, dir, code, message });
  let manifest: CheckpointManifest;
  try {
    manifest = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')) as CheckpointManifest;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return problem('CHECKPOINT_INCOMPLETE', 'no manifest.json: the checkpoint write was interrupted');
    }
    return problem('CHECKPOINT_CORRUPT', `manifest.json is unreadable: ${(error as Error).message}`);
  }
  if (manifest?.version !== 1 || manifest.epoch !== epoch || typeof manifest.files !== 'object') {
    return problem('CHECKPOINT_CORRUPT', 'manifest.json does not describe this checkpoint');
  }
  for (const [name, expected] of Object.entries(manifest.files)) {
    let bytes: Buffer;
    try {
      bytes = await readFile(join(dir, name));
    } catch {
      return problem('CHECKPOINT_CORRUPT', `${name} is missing`);
    }
    if (bytes.byteLength !== expected.bytes) {
      return problem('CHECKPOINT_CORRUPT', `${name} has ${bytes.byteLength} bytes, the manifest says ${expected.bytes}`);
    }
    if (sha256(bytes) !== expected.sha256) {
      return problem('CHECKPOINT_CORRUPT', `${name} does not match its sha256 in the manifest`);
    }
  }
  for (const [role, shared] of Object.entries(manifest.shared ?? {})) {
    const why = await sharedFileProblem(resolve(dir, shared.path), shared);
    if (why) return problem('CHECKPOINT_CORRUPT', `the ${role} weights file ${shared.path} ${why}`);
  }
  return { epoch, dir, manifest };
}

/**
 * Shared files are large (a frozen backbone) and referenced by every
 * checkpoint of every run that shares them, so a file already verified at
 * this size and modification time is not hashed again by this process.
 */
const verifiedShared = new Map<string, string>();

async function sharedFileProblem(path: string, expected: FileDigest): Promise<string | null> {
  let info;
  try {
    info = await stat(path);
  } catch {
    return 'is missing';
  }
  if (info.size !== expected.bytes) return `has ${info.size} bytes, the manifest says ${expected.bytes}`;
  const key = `${path}\u0000${info.size}\u0000${info.mtimeMs}`;
  if (verifiedShared.get(key) === expected.sha256) return null;
  if (sha256(await readFile(path)) !== expected.sha256) return 'does not match its sha256 in the manifest';
  verifiedShared.set(key, expected.sha256);
  return null;
}

function isProblem(value: Checkpoint | CheckpointProblem): value is CheckpointProblem {
  return 'code' in value;
}

/** Every checkpoint folder, verified: valid ones ascending by epoch, and the problems found. */
export async function scanCheckpoints(
  checkpointsDir: string,
): Promise<{ valid: Checkpoint[]; problems: CheckpointProblem[] }> {
  let names: string[];
  try {
    names = await readdir(checkpointsDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { valid: [], problems: [] };
    throw error;
  }
  const epochs = names.map(epochOf).filter((epoch): epoch is number => epoch !== null).sort((a, b) => a - b);
  const valid: Checkpoint[] = [];
  const problems: CheckpointProblem[] = [];
  for (const epoch of epochs) {
    const result = await verifyCheckpoint(join(checkpointsDir, checkpointDirName(epoch)), epoch);
    if (isProblem(result)) problems.push(result);
    else valid.push(result);
  }
  return { valid, problems };
}

/** Removes every checkpoint folder (valid or not) whose epoch is not in `keep`, and stray temporary files. */
export async function pruneCheckpoints(checkpointsDir: string, keep: ReadonlySet<number>): Promise<void> {
  let names: string[];
  try {
    names = await readdir(checkpointsDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  for (const name of names) {
    const epoch = epochOf(name);
    if (epoch !== null && keep.has(epoch)) continue;
    await rm(join(checkpointsDir, name), { recursive: true, force: true });
  }
  await syncDirectory(checkpointsDir);
}
