import { mkdir, readFile, readdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { FrequencySketch } from './frequency-sketch.js';

/** How a cached value is sized in memory and stored on disk. */
export interface CacheCodec<V> {
  byteLength(value: V): number;
  encode(value: V): Buffer;
  /** `encode`'s bytes as parts to write one after the other (no joined copy), where the codec offers it. */
  encodeParts?(value: V): readonly [Uint8Array, Uint8Array];
  decode(bytes: Buffer): V;
  /** The form to keep in memory (for example moved to shared memory); default: the value itself. */
  hold?(value: V): V;
}

export interface CacheStats {
  memoryHits: number;
  diskHits: number;
  misses: number;
  memoryBytes: number;
  /** Entries kept out of memory because the ones they would have evicted are asked for at least as often. */
  notAdmitted: number;
  diskBytesWritten: number;
  /** Why the disk tier was switched off (full disk, read-only folder), if it was. */
  diskDisabled: string | null;
}

/**
 * How many more requests a newcomer needs than an entry it evicts. When every
 * entry is read once per epoch, any two counts differ by at most one at any
 * moment (whichever the shuffle reached first this epoch), so a margin of two
 * never trades one for the other on the order of a shuffle alone.
 */
const ADMISSION_MARGIN = 2;

/**
 * A content-addressed cache: entries in memory under a byte cap, backed by
 * files under `dir` (one per key, written atomically) up to a disk cap. Keys
 * are hex content hashes, so an entry never goes stale: changed inputs give a
 * different key. A disk error switches the disk tier off; the cache is only
 * ever an optimisation.
 *
 * Memory evicts the least recently used entries, but only for a newcomer that
 * is asked for clearly more often than every entry it would evict
 * (frequency-sketch.ts, ADMISSION_MARGIN);
 * otherwise the newcomer stays on disk. So a working set larger than the cap
 * (a dataset several times the budget, shuffled every epoch) keeps a fixed
 * share in memory and reads the rest from disk, instead of churning through
 * memory and hitting nothing. Past the disk cap, misses decode again.
 */
export class TieredCache<V> {
  readonly stats: CacheStats = { memoryHits: 0, diskHits: 0, misses: 0, memoryBytes: 0, notAdmitted: 0, diskBytesWritten: 0, diskDisabled: null };
  private readonly memory = new Map<string, { value: V; bytes: number }>();
  private diskUsed: Promise<number> | null = null;
  private readonly writing = new Set<Promise<void>>();
  /** Shard folders known to exist: one mkdir per folder, not per write. */
  private readonly folders = new Set<string>();
  // Ages over ten times the entries memory holds (TinyLFU's sample), at least 4,096 requests.
  private readonly frequency = new FrequencySketch(() => Math.max(4096, 10 * this.memory.size));

  constructor(
    private readonly options: { dir: string | null; memoryBytes: number; diskBytes: number; codec: CacheCodec<V> },
  ) {}

  async get(key: string): Promise<V | undefined> {
    this.frequency.record(key);
    const held = this.memory.get(key);
    if (held) {
      this.memory.delete(key);
      this.memory.set(key, held);
      this.stats.memoryHits++;
      return held.value;
    }
    const file = this.fileFor(key);
    if (file) {
      const bytes = await readFile(file).catch(() => null);
      const value = bytes ? decodeOrNull(this.options.codec, bytes) : null;
      if (value !== null) {
        this.remember(key, value);
        this.stats.diskHits++;
        return value;
      }
    }
    this.stats.misses++;
    return undefined;
  }

  /**
   * Where another thread (a data worker) should write the disk entry of
   * `key`, or null when the disk tier takes no more (off, or the cap
   * reached); the writer reports the outcome with `wroteElsewhere`. Lets the
   * worker that decoded an image store it without handing the main thread
   * any file work. (The cap is checked before the entry's size is known, so
   * it may be passed by the entries in flight: a few batches.)
   */
  async diskTarget(key: string): Promise<{ readonly file: string; readonly temporary: string } | null> {
    const file = this.fileFor(key);
    if (!file) return null;
    this.diskUsed ??= folderBytes(this.options.dir!);
    const used = await this.diskUsed;
    if (used + this.stats.diskBytesWritten >= this.options.diskBytes) return null;
    return { file, temporary: temporaryName(file) };
  }

  /** The outcome of a write to a `diskTarget` of `bytes` bytes: an error turns the disk tier off, as for the cache's own writes. */
  wroteElsewhere(bytes: number, error: string | null): void {
    if (error === null) this.stats.diskBytesWritten += bytes;
    else this.stats.diskDisabled ??= error;
  }

  /** Stores in memory only (its disk entry written elsewhere, see diskTarget). */
  putInMemory(key: string, value: V): void {
    this.remember(key, value);
  }

  /** Stores in memory and, when the disk cap allows, on disk; resolves once written. Never rejects. */
  put(key: string, value: V): Promise<void> {
    this.remember(key, value);
    const write = this.write(key, value);
    this.writing.add(write);
    void write.finally(() => this.writing.delete(write));
    return write;
  }

  /** Resolves when every disk write started so far has finished. */
  async settled(): Promise<void> {
    await Promise.all([...this.writing]);
  }

  private async write(key: string, value: V): Promise<void> {
    const file = this.fileFor(key);
    if (!file) return;
    const encoded = this.options.codec.encode(value);
    this.diskUsed ??= folderBytes(this.options.dir!);
    const used = await this.diskUsed;
    if (used + this.stats.diskBytesWritten + encoded.length > this.options.diskBytes) return;
    const temporary = temporaryName(file);
    try {
      const folder = path.dirname(file);
      if (!this.folders.has(folder)) {
        await mkdir(folder, { recursive: true });
        this.folders.add(folder);
      }
      await writeFile(temporary, encoded).catch(async (error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
        // The folder went away (a cache folder removed while the run goes on): make it again.
        await mkdir(folder, { recursive: true });
        await writeFile(temporary, encoded);
      });
      await rename(temporary, file);
      this.stats.diskBytesWritten += encoded.length;
    } catch (error) {
      this.stats.diskDisabled = error instanceof Error ? error.message : String(error);
      await unlink(temporary).catch(() => undefined);
    }
  }

  private remember(key: string, value: V): void {
    const old = this.memory.get(key);
    if (old) {
      this.memory.delete(key);
      this.stats.memoryBytes -= old.bytes;
    }
    const bytes = this.options.codec.byteLength(value);
    if (bytes > this.options.memoryBytes) return;
    const victims: string[] = [];
    let free = this.options.memoryBytes - this.stats.memoryBytes;
    if (free < bytes) {
      const wanted = this.frequency.estimate(key);
      for (const [oldest, entry] of this.memory) {
        if (this.frequency.estimate(oldest) + ADMISSION_MARGIN > wanted) {
          this.stats.notAdmitted++;
          return;
        }
        victims.push(oldest);
        free += entry.bytes;
        if (free >= bytes) break;
      }
    }
    for (const victim of victims) {
      this.stats.memoryBytes -= this.memory.get(victim)!.bytes;
      this.memory.delete(victim);
    }
    this.memory.set(key, { value: this.options.codec.hold?.(value) ?? value, bytes });
    this.stats.memoryBytes += bytes;
  }

  private fileFor(key: string): string | null {
    if (!this.options.dir || this.stats.diskDisabled !== null || this.options.diskBytes <= 0) return null;
    return path.join(this.options.dir, key.slice(0, 2), `${key}.bin`);
  }
}

/** A name beside `file` no other writer (thread, process, machine sharing the folder) picks. */
function temporaryName(file: string): string {
  return `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
}

async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const stats = await stat(path.join(entry.parentPath, entry.name)).catch(() => null);
    total += stats?.size ?? 0;
  }
  return total;
}

/** A damaged entry (a torn write from another machine, a flipped byte) reads as a miss. */
function decodeOrNull<V>(codec: CacheCodec<V>, bytes: Buffer): V | null {
  try {
    return codec.decode(bytes);
  } catch {
    return null;
  }
}
