import { readFile } from 'node:fs/promises';
import type { RunRecord } from './records.js';
import { writeJsonAtomic } from './atomic-write.js';

/** Reads a JSON file written by this store; null when it does not exist. */
export async function readJsonFile<T>(path: string): Promise<T | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  return JSON.parse(text) as T;
}

export function readRunRecord(path: string): Promise<RunRecord | null> {
  return readJsonFile<RunRecord>(path);
}

/** Writes the record atomically; undefined fields are dropped, so a patch can clear one (failure). */
export async function writeRunRecord(path: string, record: RunRecord): Promise<void> {
  await writeJsonAtomic(path, record);
}
