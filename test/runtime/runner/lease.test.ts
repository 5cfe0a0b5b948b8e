import { mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireLease, inspectLease } from '../../../runtime/runner/lease.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lease-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const age = async (path: string, seconds: number) => {
  const then = new Date(Date.now() - seconds * 1000);
  await utimes(join(path, 'owner.json'), then, then);
  await utimes(path, then, then);
};

/** Rewrites the owner as if it were a runner on another machine (same token). */
const elsewhere = async (path: string) => {
  const owner = JSON.parse(await readFile(join(path, 'owner.json'), 'utf8'));
  await writeFile(join(path, 'owner.json'), JSON.stringify({ ...owner, host: 'other-machine' }));
};

describe('lease', () => {
  it('is held by one owner at a time and free after release', async () => {
    const path = join(dir, 'run', 'lease');
    const first = await acquireLease(path, { staleMs: 10_000 });
    expect(first).not.toBeNull();
    expect(await acquireLease(path, { staleMs: 10_000 })).toBeNull();
    const seen = await inspectLease(path, 10_000);
    expect(seen.state === 'held' && seen.owner).toMatchObject({ pid: process.pid, token: first!.owner.token });
    await first!.release();
    expect(await inspectLease(path)).toEqual({ state: 'free' });
    const second = await acquireLease(path, { staleMs: 10_000 });
    expect(second).not.toBeNull();
    await second!.release();
  });

  it('is taken over when its heartbeat is stale, and the old holder learns it lost it', async () => {
    const path = join(dir, 'lease');
    let lost = false;
    const old = await acquireLease(path, { staleMs: 1000, heartbeatMs: 60_000, onLost: () => (lost = true) });
    await elsewhere(path); // a holder on this host is judged by its pid; one elsewhere by its heartbeat
    await age(path, 5);
    expect((await inspectLease(path, 1000)).state).toBe('stale');
    const contenders = await Promise.all([1, 2, 3].map(() => acquireLease(path, { staleMs: 1000 })));
    const winners = contenders.filter((lease) => lease !== null);
    expect(winners).toHaveLength(1);
    await old!.heartbeat();
    expect(lost).toBe(true);
    expect(old!.lost).toBe(true);
    await old!.release();
    expect(JSON.parse(await readFile(join(path, 'owner.json'), 'utf8')).token).toBe(winners[0]!.owner.token);
    await winners[0]!.release();
  });

  it('refreshes its heartbeat so a live lease never looks stale', async () => {
    const path = join(dir, 'lease');
    const lease = await acquireLease(path, { staleMs: 1000, heartbeatMs: 50 });
    await elsewhere(path);
    await age(path, 5);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const seen = await inspectLease(path, 1000);
    expect(seen.state).toBe('held');
    expect(seen.state !== 'free' && seen.ageMs).toBeLessThan(1000);
    await lease!.release();
  });
});

describe('lease of a dead local process', () => {
  it('is stale at once when its owner pid on this host no longer exists', async () => {
    const { spawnSync } = await import('node:child_process');
    const { writeFile } = await import('node:fs/promises');
    const { hostname } = await import('node:os');
    const path = join(dir, 'lease');
    const lease = await acquireLease(path, { staleMs: 60_000 });
    const deadPid = spawnSync(process.execPath, ['-e', '0']).pid!;
    await writeFile(join(path, 'owner.json'), JSON.stringify({ ...lease!.owner, host: hostname(), pid: deadPid }));
    expect((await inspectLease(path, 60_000)).state).toBe('stale');
    expect(await acquireLease(path, { staleMs: 60_000 })).not.toBeNull();
  });
});

describe('lease host from SWEEPSPEC_LEASE_HOST', () => {
  const saved = process.env.SWEEPSPEC_LEASE_HOST;
  afterEach(() => {
    if (saved === undefined) delete process.env.SWEEPSPEC_LEASE_HOST;
    else process.env.SWEEPSPEC_LEASE_HOST = saved;
  });

  it('records the pod name, so a dead pod of the same index (same hostname, same pid) is judged by age, not as this live process', async () => {
    const { mkdir } = await import('node:fs/promises');
    const path = join(dir, 'lease');
    // What the dead pod left: its own pod name and, in its pid namespace, this process's pid.
    await mkdir(path);
    const dead = { host: 'job-0-zzzzz', pid: process.pid, token: 'dead', acquired_at: new Date().toISOString() };
    await writeFile(join(path, 'owner.json'), JSON.stringify(dead));
    process.env.SWEEPSPEC_LEASE_HOST = 'job-0-abcde';
    expect((await inspectLease(path, 60_000)).state).toBe('held');
    await age(path, 120);
    expect((await inspectLease(path, 60_000)).state).toBe('stale');
    const taken = await acquireLease(path, { staleMs: 60_000 });
    expect(taken!.owner.host).toBe('job-0-abcde');
    // The hazard itself: a lease recorded under this process's own host name and pid is never stale, however old.
    await taken!.release();
    await mkdir(path);
    await writeFile(join(path, 'owner.json'), JSON.stringify({ ...dead, host: 'job-0-abcde' }));
    await age(path, 120);
    expect((await inspectLease(path, 60_000)).state).toBe('held');
  });
});
