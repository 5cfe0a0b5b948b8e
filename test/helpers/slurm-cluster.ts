import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A single-node Slurm cluster on localhost in a temporary folder, for the
 * integration tests: its own munged (own key and socket), slurmctld and slurmd
 * with a generated slurm.conf (proctrack/linuxproc, task/none, every CPU as
 * one node, no accounting), on free ports. `stop()` ends only the daemons it
 * started, by the pids they wrote. Clients reach it through `env`
 * (SLURM_CONF); jobs inherit that environment from sbatch.
 */
export interface SlurmCluster {
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

const DAEMONS = ['munged', 'slurmctld', 'slurmd'] as const;
const CLIENTS = ['sbatch', 'squeue', 'scontrol', 'scancel', 'sinfo'] as const;

/** Why a local cluster cannot start here (null: it can). */
export function slurmUnavailable(): string | null {
  if (process.platform !== 'linux') return 'Slurm tests need Linux';
  if (process.getuid?.() !== 0) return 'Slurm tests start slurmd and munged, which need root';
  const missing = [...DAEMONS, ...CLIENTS].filter((name) => !which(name));
  if (missing.length > 0) return `Slurm tests need Debian's slurm-wlm and munge (missing: ${missing.join(', ')}; .ci/run installs them)`;
  return null;
}

export async function startSlurmCluster(): Promise<SlurmCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'slurm-'));
  await chmod(dir, 0o755); // munged wants its socket's folders searchable by everyone
  for (const sub of ['state', 'spool', 'run', 'log']) await mkdir(join(dir, sub), { mode: 0o755 });
  const key = join(dir, 'munge.key');
  await writeFile(key, randomBytes(1024));
  await chmod(key, 0o400);
  const socket = join(dir, 'run', 'munge.sock');
  const pidFiles = { munged: join(dir, 'run', 'munged.pid'), slurmctld: join(dir, 'run', 'slurmctld.pid'), slurmd: join(dir, 'run', 'slurmd.pid') };
  const started: number[] = [];
  const stop = async () => {
    // Jobs first (only this cluster's: the client talks to our slurmctld), so no task outlives its daemons.
    if (started.length === 3) {
      await run('scancel', ['--user=root', '--full'], { ...process.env, SLURM_CONF: join(dir, 'slurm.conf') }).catch(() => '');
      await waitFor(async () => (await run('squeue', ['-h'], { ...process.env, SLURM_CONF: join(dir, 'slurm.conf') }).catch(() => '')).trim() === '', 20_000, 'jobs to end').catch(() => undefined);
    }
    for (const pid of started.reverse()) await stopPid(pid);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await daemon(which('munged')!, ['--key-file', key, '--socket', socket, '--pid-file', pidFiles.munged, '--log-file', join(dir, 'log', 'munged.log'), '--seed-file', join(dir, 'run', 'munge.seed')]);
    started.push(await readPid(pidFiles.munged));
    const [ctldPort, slurmdPort] = [await freePort(), await freePort()];
    const conf = join(dir, 'slurm.conf');
    await writeFile(conf, slurmConf({ dir, socket, ctldPort, slurmdPort, cpus: availableParallelism(), pidFiles }));
    const env = { ...process.env, SLURM_CONF: conf };
    await daemon(which('slurmctld')!, ['-f', conf], env);
    started.push(await readPid(pidFiles.slurmctld));
    await daemon(which('slurmd')!, ['-f', conf, '-N', 'localhost'], env);
    started.push(await readPid(pidFiles.slurmd));
    await waitFor(async () => (await run('sinfo', ['-h', '-o', '%t'], env)).trim() === 'idle', 30_000, 'the node to be idle', dir);
    return { dir, env, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function slurmConf(o: { dir: string; socket: string; ctldPort: number; slurmdPort: number; cpus: number; pidFiles: Record<string, string> }): string {
  return [
    'ClusterName=sweepspectest',
    'SlurmctldHost=localhost(127.0.0.1)',
    `SlurmctldPort=${o.ctldPort}`,
    `SlurmdPort=${o.slurmdPort}`,
    'SlurmUser=root',
    'AuthType=auth/munge',
    'CredType=cred/munge',
    // cred_expire also sets how long a requeued job waits before it may start again (default 120 s).
    `AuthInfo=socket=${o.socket},cred_expire=5`,
    `StateSaveLocation=${join(o.dir, 'state')}`,
    `SlurmdSpoolDir=${join(o.dir, 'spool')}`,
    `SlurmctldPidFile=${o.pidFiles.slurmctld}`,
    `SlurmdPidFile=${o.pidFiles.slurmd}`,
    `SlurmctldLogFile=${join(o.dir, 'log', 'slurmctld.log')}`,
    `SlurmdLogFile=${join(o.dir, 'log', 'slurmd.log')}`,
    'ProctrackType=proctrack/linuxproc',
    'TaskPlugin=task/none',
    'SelectType=select/cons_tres',
    'SelectTypeParameters=CR_CPU',
    'SchedulerType=sched/backfill',
    // Schedule every second or two rather than every minute: tests wait on it.
    'SchedulerParameters=sched_interval=2,bf_interval=1',
    'JobAcctGatherType=jobacct_gather/none',
    'AccountingStorageType=accounting_storage/none',
    'JobCompType=jobcomp/none',
    'MpiDefault=none',
    'ReturnToService=2',
    // Slurm's default: a signalled task has 30 s to finish its step and save before SIGKILL.
    'KillWait=30',
    'MinJobAge=600',
    `NodeName=localhost NodeAddr=127.0.0.1 CPUs=${o.cpus} State=UNKNOWN`,
    'PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP',
    '',
  ].join('\n');
}

function which(name: string): string | null {
  for (const dir of [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/sbin']) {
    try {
      execFileSync('test', ['-x', join(dir, name)]);
      return join(dir, name);
    } catch {
      // not in this folder
    }
  }
  return null;
}

/** The daemons fork into the background and write their pid file; the command itself returns at once. */
function daemon(path: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(path, args, { env }, (error, _stdout, stderr) => (error ? reject(new Error(`${path} ${args.join(' ')}: ${stderr || error.message}`)) : resolve()));
  });
}

export function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args as string[], { env }, (error, stdout, stderr) => (error ? reject(new Error(`${command} ${args.join(' ')}: ${stderr || error.message}`)) : resolve(stdout)));
  });
}

async function readPid(file: string): Promise<number> {
  let pid = 0;
  await waitFor(async () => {
    pid = Number((await readFile(file, 'utf8').catch(() => '')).trim());
    return pid > 0;
  }, 10_000, `pid file ${file}`);
  return pid;
}

async function stopPid(pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return; // already gone
  }
  const until = Date.now() + 10_000;
  while (Date.now() < until) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  process.kill(pid, 'SIGKILL');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string, logDir?: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const logs = logDir ? await readFile(join(logDir, 'log', 'slurmctld.log'), 'utf8').catch(() => '') : '';
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${logs ? `\nslurmctld.log:\n${logs.slice(-2000)}` : ''}`);
}
