import { readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { syncDirectory, writeFileAtomic, writeJsonAtomic } from '../results/atomic-write.js';
import { type Checkpoint, type CheckpointManifest, MANIFEST_FILE, sha256 } from '../results/checkpoint-store.js';
import { compactCompletedRun, type CompactResult } from '../results/compact-run.js';
import type { RunPaths } from '../results/run-paths.js';
import { packWeights, readPackedHeader, unpackWeights } from '../weights/packed-weights.js';
import { SafetensorsError } from '../weights/safetensors.js';
import { MODEL_FILE, PACKED_MODEL_FILE } from '../results/model-file.js';

/**
 * A completed run's kept model file, packed against the initial weights its
 * manifest names (runtime/weights/packed-weights.ts). Crash-safe like
 * stripping: the packed file is written and checked (unpacked and compared
 * with the manifest's sha256 of the original) before the manifest is
 * rewritten to list it instead of the original, and the original goes
 * last; a kill before the rewrite leaves an unlisted file that the next
 * compaction removes, a kill after it an unlisted original.
 */

/** Packing that saves less than this fraction is not worth an unpack on every `predict`. */
const MIN_SAVING = 0.1;

export interface PackResult {
  readonly packed: boolean;
  /** Bytes of the model file before and after (equal when it was not packed). */
  readonly before: number;
  readonly after: number;
}

export async function packKeptWeights(checkpoint: Checkpoint): Promise<PackResult> {
  const { dir, manifest } = checkpoint;
  const original = manifest.files[MODEL_FILE];
  if (!original) {
    const packed = manifest.files[PACKED_MODEL_FILE]?.bytes ?? 0;
    return { packed: packed > 0, before: packed, after: packed };
  }
  if (manifest.not_packed) return { packed: false, before: original.bytes, after: original.bytes };
  const base = manifest.shared?.base ?? manifest.shared?.frozen;
  const bytes = await readFile(join(dir, MODEL_FILE));
  // Read once, for packing and for the checking unpack below.
  const baseBytes = base ? await readFile(resolve(dir, base.path)) : null;
  // Recorded, so that later compactions (every `sweepspec prune`) do not try again to the same end.
  const leaveUnpacked = async (why: string): Promise<PackResult> => {
    await writeJsonAtomic(join(dir, MANIFEST_FILE), { ...manifest, not_packed: why } satisfies CheckpointManifest);
    return { packed: false, before: bytes.byteLength, after: bytes.byteLength };
  };
  let packed: Uint8Array;
  try {
    packed = await packWeights(bytes, base && baseBytes ? { bytes: baseBytes, path: base.path } : null);
  } catch (error) {
    if (error instanceof SafetensorsError) return leaveUnpacked(`not a safetensors file the packer reads: ${error.message}`);
    throw error;
  }
  if (packed.byteLength > (1 - MIN_SAVING) * bytes.byteLength) {
    return leaveUnpacked(`packing saves ${((1 - packed.byteLength / bytes.byteLength) * 100).toFixed(1)}%, under ${MIN_SAVING * 100}%`);
  }
  // The bytes read must be the ones the manifest vouches for, and unpacking must give them back (it checks their sha256).
  if (readPackedHeader(packed).original.sha256 !== original.sha256) throw new Error(`${join(dir, MODEL_FILE)} changed since its checkpoint was verified; it stays unpacked`);
  await unpackWeights(packed, async () => baseBytes!);
  await writeFileAtomic(join(dir, PACKED_MODEL_FILE), packed);
  const { [MODEL_FILE]: _original, ...rest } = manifest.files;
  const next: CheckpointManifest = { ...manifest, files: { ...rest, [PACKED_MODEL_FILE]: { sha256: sha256(packed), bytes: packed.byteLength } } };
  await writeJsonAtomic(join(dir, MANIFEST_FILE), next);
  await rm(join(dir, MODEL_FILE), { force: true });
  await syncDirectory(dir);
  return { packed: true, before: bytes.byteLength, after: packed.byteLength };
}

/** What a completed run keeps (compact-run.ts), its kept model file then packed. */
export async function compactAndPackCompletedRun(paths: RunPaths, keptEpoch: number): Promise<CompactResult & { pack?: PackResult }> {
  const compacted = await compactCompletedRun(paths, keptEpoch);
  if (!compacted.kept) return compacted;
  return { ...compacted, pack: await packKeptWeights(compacted.kept) };
}
