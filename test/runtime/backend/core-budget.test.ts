import os from 'node:os';
import { describe, expect, test } from 'vitest';
import { coreBudget, limitTensorFlowThreads } from '../../../runtime/backend/core-budget.js';
import { dataWorkerCount } from '../../../runtime/data/data-workers.js';

describe('coreBudget', () => {
  test('SWEEPSPEC_CPUS, then SLURM_CPUS_PER_TASK, then the cores the process may use', () => {
    expect(coreBudget({ SWEEPSPEC_CPUS: '3', SLURM_CPUS_PER_TASK: '2' })).toEqual({ cores: 3, from: 'SWEEPSPEC_CPUS' });
    expect(coreBudget({ SLURM_CPUS_PER_TASK: '2' })).toEqual({ cores: 2, from: 'SLURM_CPUS_PER_TASK' });
    expect(coreBudget({})).toEqual({ cores: os.availableParallelism(), from: 'machine' });
    // Slurm leaves SLURM_CPUS_PER_TASK unset without --cpus-per-task; anything unusable falls through.
    expect(coreBudget({ SLURM_CPUS_PER_TASK: '0' }).from).toBe('machine');
    expect(() => coreBudget({ SWEEPSPEC_CPUS: 'two' })).toThrow(/SWEEPSPEC_CPUS must be a whole number of cores/);
  });

  test('data workers and TensorFlow thread pools follow it; settings the user made win', () => {
    expect(dataWorkerCount({ SLURM_CPUS_PER_TASK: '2' })).toBe(2);
    expect(dataWorkerCount({ SWEEPSPEC_CPUS: '64' })).toBe(16);
    expect(dataWorkerCount({ SWEEPSPEC_CPUS: '3', SWEEPSPEC_DATA_WORKERS: '1' })).toBe(1);

    const slurm: NodeJS.ProcessEnv = { SLURM_CPUS_PER_TASK: '4' };
    limitTensorFlowThreads(slurm);
    expect(slurm).toMatchObject({ TF_NUM_INTRAOP_THREADS: '4', TF_NUM_INTEROP_THREADS: '2', OMP_NUM_THREADS: '4' });
    const chosen: NodeJS.ProcessEnv = { SWEEPSPEC_CPUS: '1', TF_NUM_INTRAOP_THREADS: '8' };
    limitTensorFlowThreads(chosen);
    expect(chosen).toMatchObject({ TF_NUM_INTRAOP_THREADS: '8', TF_NUM_INTEROP_THREADS: '1', OMP_NUM_THREADS: '1' });
    // On a whole machine TensorFlow's own defaults stand.
    const machine: NodeJS.ProcessEnv = {};
    limitTensorFlowThreads(machine);
    expect(machine).toEqual({});
  });
});
