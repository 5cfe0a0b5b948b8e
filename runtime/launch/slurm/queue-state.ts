import { missing, type SlurmRunner } from './slurm-commands.js';

/** What Slurm says about one job or array task. */
export interface SlurmJobState {
  /** `12_3` for array task 3 of array 12, `13` for a plain job. */
  readonly jobId: string;
  readonly arrayJobId: string;
  readonly taskIndex?: number;
  /** Slurm's state name: PENDING, RUNNING, COMPLETED, CANCELLED, FAILED, TIMEOUT, NODE_FAIL, PREEMPTED, ... */
  readonly state: string;
  /** Why it waits or ended (Priority, Resources, Dependency, BeginTime, ...); `None` when there is nothing to say. */
  readonly reason: string;
  readonly node: string;
  /** Times Slurm has requeued it. */
  readonly restarts: number;
  readonly exitCode?: string;
  /** squeue knows jobs still in the controller's memory; sacct (when accounting is on) also older ones. */
  readonly source: 'squeue' | 'sacct';
}

/** States in which a task still holds its run: it will (again) train it, so no one else should. */
const ACTIVE = new Set(['PENDING', 'RUNNING', 'REQUEUED', 'REQUEUE_HOLD', 'REQUEUE_FED', 'RESIZING', 'SUSPENDED', 'CONFIGURING', 'COMPLETING', 'STOPPED', 'SIGNALING', 'STAGE_OUT', 'RESV_DEL_HOLD']);

export function isActive(state: string): boolean {
  return ACTIVE.has(state);
}

export const SQUEUE_FORMAT = 'JobArrayID:|,ArrayJobID:|,ArrayTaskID:|,State:|,Reason:|,NodeList:|,RestartCnt:|';

/** Parses `squeue -h -r -t all -O SQUEUE_FORMAT` lines. Pure. */
export function parseSqueue(text: string): SlurmJobState[] {
  const states: SlurmJobState[] = [];
  for (const line of text.split('\n')) {
    const [jobId, arrayJobId, task, state, reason, node, restarts] = line.split('|').map((field) => field.trim());
    if (!jobId || state === undefined) continue;
    states.push({
      jobId,
      arrayJobId,
      ...(/^\d+$/.test(task) ? { taskIndex: Number(task) } : {}),
      state,
      reason,
      node: node ?? '',
      restarts: Number(restarts) || 0,
      source: 'squeue',
    });
  }
  return states;
}

export const SACCT_FIELDS = 'JobID,State,NodeList,ExitCode,Restarts';

/** Parses `sacct -n -P -X -o SACCT_FIELDS` lines (`CANCELLED by 0` keeps its first word). Pure. */
export function parseSacct(text: string): SlurmJobState[] {
  const states: SlurmJobState[] = [];
  for (const line of text.split('\n')) {
    const [jobId, state, node, exitCode, restarts] = line.split('|').map((field) => field.trim());
    if (!jobId || !state) continue;
    const match = /^(\d+)(?:_(\d+))?$/.exec(jobId);
    if (!match) continue; // a still-pending array range such as 12_[3-5]: squeue answers for those
    states.push({
      jobId,
      arrayJobId: match[1],
      ...(match[2] !== undefined ? { taskIndex: Number(match[2]) } : {}),
      state: state.split(' ')[0],
      reason: state.includes(' by ') ? state : 'None',
      node: node === 'None assigned' ? '' : (node ?? ''),
      restarts: Number(restarts) || 0,
      exitCode,
      source: 'sacct',
    });
  }
  return states;
}

/**
 * The states of the given jobs (array tasks expanded): squeue first, then
 * sacct for what squeue has forgotten. Without accounting (sacct missing or
 * disabled) jobs that left the controller's memory are simply absent; the
 * caller falls back to the run records.
 */
export async function queryJobs(run: SlurmRunner, jobIds: readonly string[]): Promise<Map<string, SlurmJobState>> {
  const found = new Map<string, SlurmJobState>();
  if (jobIds.length === 0) return found;
  const squeue = await run('squeue', ['-h', '-r', '-t', 'all', '-j', jobIds.join(','), '-O', SQUEUE_FORMAT]);
  // One unknown id alone makes squeue fail with "Invalid job id specified": that just means it is gone.
  if (squeue.code === 0) for (const state of parseSqueue(squeue.stdout)) found.set(state.jobId, state);
  else if (squeue.code === 127) throw missing('squeue');
  const sacct = await run('sacct', ['-n', '-P', '-X', '-j', jobIds.join(','), '-o', SACCT_FIELDS]);
  if (sacct.code === 0) {
    for (const state of parseSacct(sacct.stdout)) if (!found.has(state.jobId)) found.set(state.jobId, state);
  }
  return found;
}
