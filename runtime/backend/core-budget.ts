import os from 'node:os';

/**
 * How many CPU cores this process may use, and who said so. On a cluster the
 * machine's core count is the wrong answer: a Slurm task given
 * `--cpus-per-task=2` on a 64-core node (without the cgroup task plugin, which
 * would narrow the affinity) and a Kubernetes pod requesting 2 CPUs both see
 * every core, and a training process that sized its threads by that would
 * fight every other run on the node. In order:
 * - `SWEEPSPEC_CPUS`: explicit (the Kubernetes Job sets it from --cpus-per-run);
 * - `SLURM_CPUS_PER_TASK`: what Slurm granted the task (`submit --slurm`
 *   asks for --cpus-per-task, so its tasks always have it);
 * - the cores the process's affinity allows (os.availableParallelism()).
 * The TensorFlow thread pools, the wasm backend's threads and the number of
 * data workers all follow it.
 */
export interface CoreBudget {
  readonly cores: number;
  readonly from: 'SWEEPSPEC_CPUS' | 'SLURM_CPUS_PER_TASK' | 'machine';
}

export function coreBudget(env: NodeJS.ProcessEnv = process.env): CoreBudget {
  const explicit = wholeNumber(env.SWEEPSPEC_CPUS);
  if (env.SWEEPSPEC_CPUS !== undefined && env.SWEEPSPEC_CPUS.trim() !== '' && explicit === null) {
    throw new Error(`SWEEPSPEC_CPUS must be a whole number of cores (1 or more), not ${JSON.stringify(env.SWEEPSPEC_CPUS)}`);
  }
  if (explicit !== null) return { cores: explicit, from: 'SWEEPSPEC_CPUS' };
  const slurm = wholeNumber(env.SLURM_CPUS_PER_TASK);
  if (slurm !== null) return { cores: slurm, from: 'SLURM_CPUS_PER_TASK' };
  return { cores: os.availableParallelism(), from: 'machine' };
}

/**
 * TensorFlow's thread pools follow the budget when one was given (on the
 * whole machine TensorFlow's own default, every core, is right): read by the
 * TensorFlow library when it loads, so this runs before the native backend is
 * imported. Settings the user made win.
 */
export function limitTensorFlowThreads(env: NodeJS.ProcessEnv = process.env): void {
  const budget = coreBudget(env);
  if (budget.from === 'machine') return;
  env.TF_NUM_INTRAOP_THREADS ??= String(budget.cores);
  env.TF_NUM_INTEROP_THREADS ??= String(Math.min(2, budget.cores));
  env.OMP_NUM_THREADS ??= String(budget.cores);
}

function wholeNumber(text: string | undefined): number | null {
  if (text === undefined || !/^\s*\d+\s*$/.test(text)) return null;
  const value = Number(text);
  return value >= 1 ? value : null;
}
