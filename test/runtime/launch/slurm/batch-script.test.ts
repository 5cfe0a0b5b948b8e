import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { arrayScript, reportScript, type ScriptContext } from '../../../../runtime/launch/slurm/batch-script.js';

const GOLDEN = join(import.meta.dirname, 'golden');

/** Compares with golden/<name>; `UPDATE_GOLDEN=1` rewrites it (review the diff before committing). */
async function expectGolden(name: string, actual: string): Promise<void> {
  const file = join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN) {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, actual);
    return;
  }
  expect(actual).toBe(await readFile(file, 'utf8'));
}

const minimal: ScriptContext = {
  study: 'fmnist',
  submissionId: '20261202T104512Z-3f9c',
  submissionDir: '/shared/results/fmnist/submissions/20261202T104512Z-3f9c',
  workDir: '/shared/project',
  node: '/opt/node20/bin/node',
  cli: '/shared/sweepspec/bin/sweepspec.js',
  resources: { cpusPerRun: 1, sbatchArgs: [] },
};

const full: ScriptContext = {
  ...minimal,
  workDir: '/home/ana/my study',
  resources: {
    partition: 'gpu',
    time: '2:00:00',
    cpusPerRun: 8,
    mem: '32G',
    gpusPerRun: 1,
    maxParallel: 4,
    account: 'vision-lab',
    qos: 'normal',
    sbatchArgs: ['--constraint=a100', '--mail-type=FAIL', '--comment=two words'],
  },
};

describe('Slurm batch scripts', () => {
  it('the array with only the defaults', async () => {
    await expectGolden('array-minimal.sh', arrayScript(minimal, 22));
    await expectGolden('report-minimal.sh', reportScript(minimal, '4242'));
  });

  it('every resource option, a folder with a space and an extra option with one', async () => {
    await expectGolden('array-full.sh', arrayScript(full, 3));
    await expectGolden('report-full.sh', reportScript(full, '4242'));
  });

  it('the task index comes from Slurm, the throttle from --max-parallel', () => {
    const script = arrayScript({ ...minimal, resources: { ...minimal.resources, maxParallel: 2 } }, 4);
    expect(script).toContain('#SBATCH --array=0-3%2\n');
    expect(script).toContain('task /shared/results/fmnist/submissions/20261202T104512Z-3f9c --index "$SLURM_ARRAY_TASK_ID"');
    expect(script.split('\n').filter((line) => line.startsWith('exec '))).toHaveLength(1);
  });
});
