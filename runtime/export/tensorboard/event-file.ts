import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { syncDirectory } from '../../results/atomic-write.js';

/** TensorBoard reads every file whose name contains this as an event file. */
const EVENT_FILE_MARK = 'tfevents';
let counter = 0;

export type SyncOutcome = 'unchanged' | 'appended' | 'replaced';

/**
 * Makes `dir` hold exactly one event file with exactly `bytes`, and keeps a
 * TensorBoard that is reading it live in step:
 * - when the file already starts with what it holds, only the rest is
 *   appended (and fsynced), so a reader tailing it sees new points;
 * - otherwise (a resumed or rerun run: something written before changed) a
 *   new file replaces it, written in full under a temporary name TensorBoard
 *   ignores and renamed into place, and the old files are deleted. A reader
 *   then reads the new file from the start; TensorBoard keeps one value per
 *   step, so nothing shows twice, and the folder never grows past one file.
 */
export async function syncEventFile(dir: string, bytes: Uint8Array, options: { now?: () => number } = {}): Promise<SyncOutcome> {
  await mkdir(dir, { recursive: true });
  const entries = await readdir(dir);
  // A temporary file left by a writer killed mid-write is garbage.
  for (const stale of entries.filter((name) => name.startsWith('.partial-'))) await rm(join(dir, stale), { force: true });
  const names = entries.filter((name) => name.includes(EVENT_FILE_MARK) && !name.startsWith('.')).sort();
  if (names.length === 1) {
    const path = join(dir, names[0]);
    const current = await readFile(path);
    if (current.length <= bytes.length && Buffer.from(bytes.subarray(0, current.length)).equals(current)) {
      if (current.length === bytes.length) return 'unchanged';
      await appendSynced(path, bytes.subarray(current.length));
      return 'appended';
    }
  }
  const seconds = Math.floor((options.now?.() ?? Date.now()) / 1000);
  // TensorBoard's own naming: events.out.tfevents.<seconds>.<host>.<pid>.<n>
  const name = `events.out.${EVENT_FILE_MARK}.${String(seconds).padStart(10, '0')}.${hostname().replace(/[^\w.-]/g, '_')}.${process.pid}.${counter++}`;
  const temporary = join(dir, `.partial-${process.pid}-${counter++}`);
  try {
    await writeSynced(temporary, bytes);
    await rename(temporary, join(dir, name));
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  for (const old of names) if (old !== name) await rm(join(dir, old), { force: true });
  await syncDirectory(dir);
  return 'replaced';
}

async function appendSynced(path: string, bytes: Uint8Array): Promise<void> {
  const handle = await open(path, 'a');
  try {
    await handle.write(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function writeSynced(path: string, bytes: Uint8Array): Promise<void> {
  const handle = await open(path, 'w');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}
