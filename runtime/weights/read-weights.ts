/**
 * Reads a weights file into tensors by state_dict name. A checkpoint of a run
 * with a frozen backbone holds only what trains; its metadata names the file
 * with the frozen tensors (stored once per study, see
 * runtime/runner/frozen-store.ts) and that file's sha256, and the two are
 * merged here, so `predict`, `pretrained: <path>` and resuming see the whole
 * state_dict. A completed run's kept model file is packed (packed-weights.ts):
 * it is unpacked here first, against the base file its header names.
 * `sweepspec export weights` writes such a merge as one standalone file.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { UserError } from '../../bin/user-error.js';
import { isPackedWeights, PackedWeightsError, unpackWeights } from './packed-weights.js';
import { decodeSafetensors, SafetensorsError, type SafetensorsFile } from './safetensors.js';

/** Metadata of a partial file: the frozen file's path, relative to the partial file's folder, and its sha256. */
export const FROZEN_PATH_KEY = 'sweepspec_frozen';
export const FROZEN_SHA256_KEY = 'sweepspec_frozen_sha256';

async function readSafetensors(file: string, what: string): Promise<{ bytes: Uint8Array; decoded: SafetensorsFile }> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new UserError(`cannot read ${what} ${file}: ${(error as Error).message}`);
  }
  if (isPackedWeights(bytes)) {
    try {
      bytes = await unpackWeights(bytes, async (path) => {
        const base = resolve(dirname(file), path);
        return readFile(base).catch((error: Error) => {
          throw new UserError(`cannot read the base weights ${base} that the packed file ${file} needs: ${error.message}`);
        });
      });
    } catch (error) {
      if (error instanceof PackedWeightsError) throw new UserError(`${file}: ${error.message}`);
      throw error;
    }
  }
  try {
    return { bytes, decoded: decodeSafetensors(bytes) };
  } catch (error) {
    if (error instanceof SafetensorsError) throw new UserError(`${file} is not a valid safetensors file: ${error.message}`);
    throw error;
  }
}

/** The file's tensors with its frozen part merged in (the frozen part first, so the order stays close to state_dict order). */
export async function readWeightsFile(file: string): Promise<SafetensorsFile> {
  const { decoded } = await readSafetensors(file, 'weights file');
  const relative = decoded.metadata[FROZEN_PATH_KEY];
  if (relative === undefined) return decoded;
  const frozenFile = resolve(dirname(file), relative);
  const frozen = await readSafetensors(frozenFile, `the frozen weights that ${file} needs,`);
  const expected = decoded.metadata[FROZEN_SHA256_KEY];
  if (createHash('sha256').update(frozen.bytes).digest('hex') !== expected) {
    throw new UserError(`the frozen weights ${frozenFile} that ${file} needs do not match its sha256 ${expected}: the file was changed or damaged`);
  }
  const tensors = new Map(frozen.decoded.tensors);
  for (const [name, entry] of decoded.tensors) tensors.set(name, entry);
  const { [FROZEN_PATH_KEY]: _path, [FROZEN_SHA256_KEY]: _sha, ...metadata } = decoded.metadata;
  return { tensors, metadata };
}
