import { join } from 'node:path';
import type { Checkpoint } from './checkpoint-store.js';

/**
 * The names of a checkpoint's model file: `model.safetensors` while a run
 * trains, and for a completed run possibly `model.safetensors.packed`, the
 * same bytes packed against the run's initial weights
 * (runtime/runner/pack-kept-weights.ts). Here, apart from the tensor code, so
 * that commands which only manage files (prune, status) need no backend.
 */
export const MODEL_FILE = 'model.safetensors';
export const PACKED_MODEL_FILE = 'model.safetensors.packed';

/** The checkpoint's model file, packed or not, as its manifest lists it. */
export function modelFileOf(checkpoint: Checkpoint): string {
  return join(checkpoint.dir, PACKED_MODEL_FILE in checkpoint.manifest.files ? PACKED_MODEL_FILE : MODEL_FILE);
}
