import type { SlurmRunner } from './slurm-commands.js';

/** The array task this process runs as, from the environment Slurm gives a batch job (null outside Slurm). */
export function slurmTaskId(env: NodeJS.ProcessEnv): string | null {
  const array = env.SLURM_ARRAY_JOB_ID;
  const task = env.SLURM_ARRAY_TASK_ID;
  if (array && task) return `${array}_${task}`;
  return env.SLURM_JOB_ID ?? null;
}

export type RequeueOutcome = { readonly requeued: true } | { readonly requeued: false; readonly why: string };

/**
 * After a SIGTERM that was not a cancel: put this task back in the queue so
 * that it continues from the run's last completed epoch. Only a task that
 * Slurm still counts as running is requeued: a plain `scancel` marks the job
 * CANCELLED before it signals, and a preemption in REQUEUE mode requeues the
 * job itself.
 */
export async function requeueSelf(run: SlurmRunner, jobId: string): Promise<RequeueOutcome> {
  const state = await run('squeue', ['-h', '-j', jobId, '-o', '%T']);
  const now = state.stdout.trim();
  if (state.code !== 0 || now !== 'RUNNING') return { requeued: false, why: `Slurm says the job is ${now || 'gone'}` };
  const result = await run('scontrol', ['requeue', jobId]);
  if (result.code !== 0) return { requeued: false, why: `scontrol requeue ${jobId} failed: ${result.stderr.trim()}` };
  return { requeued: true };
}
