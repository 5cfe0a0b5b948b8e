import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LaunchError } from '../../../../runtime/launch/launch-error.js';
import type { CommandResult, SlurmCommand, SlurmRunner } from '../../../../runtime/launch/slurm/slurm-commands.js';
import { submitSlurm, type SlurmSubmitOptions } from '../../../../runtime/launch/slurm/submit-slurm.js';
import { listSubmissions, readSubmission } from '../../../../runtime/launch/submission.js';
import { fakeConfig, fakePlan } from '../../runner/fixtures/plan.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'submit-slurm-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A scripted Slurm: answers each command from `answers` (default: success) and logs the calls. */
function fakeSlurm(answers: Partial<Record<SlurmCommand, (args: readonly string[]) => CommandResult | Promise<CommandResult>>>) {
  const calls: string[] = [];
  let nextId = 100;
  const run: SlurmRunner = async (command, args) => {
    calls.push(`${command} ${args.join(' ')}`);
    const answer = answers[command];
    if (answer) return answer(args);
    if (command === 'sbatch') return { code: 0, stdout: args.includes('--version') ? 'slurm 22.05.8\n' : `${nextId++}\n`, stderr: '' };
    return { code: 0, stdout: '', stderr: '' };
  };
  return { run, calls };
}

const plan = fakePlan('study', [fakeConfig({ seed: 1 }), fakeConfig({ seed: 2 })]);
function options(run: SlurmRunner, extra: Partial<SlurmSubmitOptions> = {}): SlurmSubmitOptions {
  return {
    plan, specDir: dir, resultsDir: join(dir, 'results'), backend: 'wasm', resources: { cpusPerRun: 1, sbatchArgs: [] }, dryRun: false,
    workDir: dir, node: '/usr/bin/node', cli: '/opt/sweepspec/bin/sweepspec.js', run, now: new Date('2026-12-02T10:45:12Z'), ...extra,
  };
}

describe('submitSlurm', () => {
  it('submits the array held, then the report job after it, records the submission, then releases the array', async () => {
    const slurm = fakeSlurm({});
    const outcome = await submitSlurm(options(slurm.run));
    expect(outcome.kind).toBe('submitted');
    const submissionDir = outcome.kind === 'submitted' ? outcome.dir : '';
    expect(slurm.calls.filter((c) => !c.startsWith('squeue') && !c.startsWith('sacct'))).toEqual([
      'sbatch --version',
      `sbatch --parsable --hold ${submissionDir}/array.sh`,
      `sbatch --parsable ${submissionDir}/report.sh`,
      'scontrol release 100',
    ]);
    const { record, plan: frozen } = await readSubmission(submissionDir);
    expect(frozen).toEqual(plan);
    expect(record).toMatchObject({ engine: 'slurm', created_at: '2026-12-02T10:45:12.000Z', jobs: { array: '100', report: '101' }, backend: 'wasm' });
    expect(record.tasks).toEqual(plan.runs.map((r, index) => ({ index, run_id: r.id, name: r.name })));
    expect(await readFile(join(submissionDir, 'report.sh'), 'utf8')).toContain('#SBATCH --dependency=afterany:100\n');
  });

  it('a second submit while the tasks are queued submits nothing', async () => {
    const first = fakeSlurm({});
    await submitSlurm(options(first.run));
    const queued = fakeSlurm({ squeue: () => ({ code: 0, stdout: '100_0|100|0|RUNNING|None|n1|0|\n100_1|100|1|PENDING|Priority||0|\n', stderr: '' }) });
    const again = await submitSlurm(options(queued.run, { now: new Date('2026-12-02T10:46:00Z') }));
    expect(again.kind).toBe('nothing');
    expect(again.list.skipped.map((s) => s.reason)).toEqual(['submitted', 'submitted']);
    expect(queued.calls.some((c) => c.startsWith('sbatch --parsable'))).toBe(false);
  });

  it('a rejected array leaves nothing recorded and says what Slurm said (exit 1)', async () => {
    const slurm = fakeSlurm({
      sbatch: (args) =>
        args.includes('--version') ? { code: 0, stdout: 'slurm 22.05.8\n', stderr: '' } : { code: 1, stdout: '', stderr: 'sbatch: error: Batch job submission failed: Invalid partition name specified\n' },
    });
    const error = await submitSlurm(options(slurm.run)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LaunchError);
    expect(error).toMatchObject({ code: 'SCHEDULER_REJECTED', exitCode: 1, message: 'sbatch failed: sbatch: error: Batch job submission failed: Invalid partition name specified' });
    expect(await readdir(join(dir, 'results', 'study', 'submissions'))).toEqual([]);
    expect(await listSubmissions(join(dir, 'results'), 'study')).toEqual([]);
  });

  it('a rejected report job cancels the array it already submitted', async () => {
    let n = 0;
    const slurm = fakeSlurm({
      sbatch: (args) => (args.includes('--version') ? { code: 0, stdout: 'v\n', stderr: '' } : n++ === 0 ? { code: 0, stdout: '7\n', stderr: '' } : { code: 1, stdout: '', stderr: 'sbatch: error: Invalid qos specification\n' }),
    });
    await expect(submitSlurm(options(slurm.run))).rejects.toThrow('Invalid qos specification');
    expect(slurm.calls).toContain('scancel 7');
    expect(await readdir(join(dir, 'results', 'study', 'submissions'))).toEqual([]);
  });

  it('no sbatch on PATH is exit 2 and says to submit from a login node; a dry run needs none', async () => {
    const slurm = fakeSlurm({ sbatch: () => ({ code: 127, stdout: '', stderr: '' }), squeue: () => ({ code: 127, stdout: '', stderr: '' }) });
    await expect(submitSlurm(options(slurm.run))).rejects.toMatchObject({ code: 'SCHEDULER_MISSING', exitCode: 2, message: expect.stringContaining('on a login node') });
    const dry = await submitSlurm(options(slurm.run, { dryRun: true }));
    expect(dry.kind).toBe('dry-run');
    if (dry.kind === 'dry-run') expect(dry.scripts.report).toContain('afterany:<array-job-id>');
    expect(await readdir(join(dir, 'results', 'study', 'submissions')).catch(() => [])).toEqual([]);
  });
});
