import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { writeJsonAtomic } from '../results/atomic-write.js';

/**
 * A per-run lease that works across processes and machines sharing a
 * filesystem, NFS included: the lease is a folder created with mkdir (atomic
 * on NFS, unlike O_EXCL on old clients) holding owner.json {host, pid, token}.
 * The holder rewrites owner.json every heartbeat; a lease whose owner.json
 * (or folder, while owner.json is being written) has not changed for
 * `staleMs` belongs to a dead runner and is taken over by renaming it away
 * (rename is atomic, so only one contender wins). A holder that finds another
 * token in owner.json has lost its lease and is told through `onLost`. A lease
 * whose owner is a process of this host that no longer exists is stale at once.
 * A training step that blocks the event loop also delays the heartbeat, hence
 * the generous default; machines sharing results should keep their clocks
 * within a minute of each other.
 */
export interface LeaseOwner {
  readonly host: string;
  readonly pid: number;
  readonly token: string;
  readonly acquired_at: string;
}

export interface LeaseOptions {
  /** Age after which a lease held from another host without heartbeat is taken over (default 5 min). */
  readonly staleMs?: number;
  /** Heartbeat period (default staleMs / 10). */
  readonly heartbeatMs?: number;
  readonly onLost?: () => void;
}

export type LeaseState =
  | { readonly state: 'free' }
  | { readonly state: 'held' | 'stale'; readonly owner: LeaseOwner | null; readonly ageMs: number };

const OWNER_FILE = 'owner.json';
export const DEFAULT_STALE_MS = 5 * 60_000;

export function describeOwner(owner: LeaseOwner | null): string {
  return owner ? `${owner.host}:${owner.pid}` : 'unknown owner';
}

export async function inspectLease(path: string, staleMs = DEFAULT_STALE_MS): Promise<LeaseState> {
  let folderTime: number;
  try {
    folderTime = (await stat(path)).mtimeMs;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'free' };
    throw error;
  }
  let owner: LeaseOwner | null = null;
  let ownerTime = 0;
  try {
    const file = join(path, OWNER_FILE);
    ownerTime = (await stat(file)).mtimeMs;
    owner = JSON.parse(await readFile(file, 'utf8')) as LeaseOwner;
  } catch {
    // Being written, or the holder died between mkdir and its first write.
  }
  const ageMs = Date.now() - Math.max(folderTime, ownerTime);
  const local = localLiveness(owner);
  const stale = local === 'unknown' ? ageMs > staleMs : local === 'dead';
  return { state: stale ? 'stale' : 'held', owner, ageMs };
}

/**
 * A holder on this very host is judged by its process: gone (SIGKILL, crash)
 * means stale at once, alive means held however long a training step kept
 * its heartbeat from running. Holders elsewhere are judged by heartbeat age.
 */
function localLiveness(owner: LeaseOwner | null): 'alive' | 'dead' | 'unknown' {
  if (!owner || owner.host !== leaseHost()) return 'unknown';
  if (owner.pid === process.pid) return 'alive';
  try {
    process.kill(owner.pid, 0);
    return 'alive';
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH' ? 'dead' : 'alive';
  }
}

/**
 * The name a lease records for this machine: SWEEPSPEC_LEASE_HOST when set,
 * else the hostname. Kubernetes gives every retry of an Indexed Job's index
 * the same hostname and, in a fresh pid namespace, often the same pid, so a
 * replacement pod would take a dead pod's lease for its own live one; its
 * manifests set the pod's unique name here.
 */
export function leaseHost(env: NodeJS.ProcessEnv = process.env): string {
  const host = env.SWEEPSPEC_LEASE_HOST;
  return host !== undefined && host.length > 0 ? host : hostname();
}

export class Lease {
  private timer: NodeJS.Timeout | undefined;
  private released = false;
  lost = false;

  constructor(
    readonly path: string,
    readonly owner: LeaseOwner,
    private readonly options: Required<Pick<LeaseOptions, 'heartbeatMs'>> & LeaseOptions,
  ) {
    this.timer = setInterval(() => void this.heartbeat(), options.heartbeatMs);
    this.timer.unref();
  }

  /** Refreshes the heartbeat, or notices that the lease was taken over. */
  async heartbeat(): Promise<void> {
    if (this.released || this.lost) return;
    const current = await readOwner(this.path);
    if (current?.token !== this.owner.token) {
      this.lost = true;
      clearInterval(this.timer);
      this.options.onLost?.();
      return;
    }
    await writeJsonAtomic(join(this.path, OWNER_FILE), this.owner).catch(() => undefined);
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    clearInterval(this.timer);
    if (this.lost) return;
    const current = await readOwner(this.path);
    if (current?.token !== this.owner.token) return;
    const away = `${this.path}.released-${this.owner.token}`;
    await rename(this.path, away).catch(() => undefined);
    await rm(away, { recursive: true, force: true });
  }
}

async function readOwner(path: string): Promise<LeaseOwner | null> {
  try {
    return JSON.parse(await readFile(join(path, OWNER_FILE), 'utf8')) as LeaseOwner;
  } catch {
    return null;
  }
}

/** Takes the lease, or returns null when a live runner holds it. */
export async function acquireLease(path: string, options: LeaseOptions = {}): Promise<Lease | null> {
  const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
  const heartbeatMs = options.heartbeatMs ?? Math.max(50, Math.floor(staleMs / 10));
  const token = randomBytes(8).toString('hex');
  await mkdir(dirname(path), { recursive: true });
  for (let attempt = 0; attempt < 5; attempt++) {
    // The folder appears with its owner file already in it (written aside, then renamed into place), so no
    // contender ever sees a lease without an owner and mistakes a fresh one for the stale one it judged.
    const owner: LeaseOwner = { host: leaseHost(), pid: process.pid, token, acquired_at: new Date().toISOString() };
    const fresh = `${path}.new-${token}`;
    await mkdir(fresh, { recursive: true });
    await writeJsonAtomic(join(fresh, OWNER_FILE), owner);
    try {
      await rename(fresh, path);
      return new Lease(path, owner, { ...options, heartbeatMs });
    } catch (error) {
      await rm(fresh, { recursive: true, force: true });
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST' && code !== 'ENOTEMPTY') throw error;
    }
    const seen = await inspectLease(path, staleMs);
    if (seen.state === 'held') return null;
    if (seen.state === 'free') continue;
    const away = `${path}.stale-${token}`;
    try {
      await rename(path, away);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue; // another runner took it over first
      throw error;
    }
    // Between our look and the rename another runner may have taken over and
    // written a fresh lease: give that one back.
    const taken = await readOwner(away);
    if (taken?.token !== seen.owner?.token) {
      await rename(away, path).catch(() => rm(away, { recursive: true, force: true }));
      return null;
    }
    await rm(away, { recursive: true, force: true });
  }
  return null;
}
