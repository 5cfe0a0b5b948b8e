/**
 * Integration tests on a real single-node Slurm (test/helpers/slurm-cluster.ts),
 * one cluster for the whole file. Cost: about 4 minutes on 2 idle cores
 * (more on a loaded machine), nearly all of it training resnet18 at 32 px on
 * 90 small images, 3 epochs a run: a 4-run study (one task preempted twice), one
 * reference run, and one run cancelled and resumed. Where Slurm cannot start (not root, packages
 * missing) the tests are skipped and say why; under CI=true they fail instead.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlan } from '../../../../bin/load-plan.js';
import type { RunPlan } from '../../../../compiler/types/plan.js';
import { readEpochMetrics } from '../../../../runtime/results/metrics-log.js';
import { readRunRecord } from '../../../../runtime/results/record-file.js';
import type { EpochMetrics } from '../../../../runtime/results/records.js';
import { runPaths, specPaths } from '../../../../runtime/results/run-paths.js';
import { readSweepStatus } from '../../../../runtime/runner/sweep-status.js';
import { run, slurmUnavailable, startSlurmCluster, waitFor, type SlurmCluster } from '../../../helpers/slurm-cluster.js';
import { writeImageStudy } from '../../runner/fixtures/image-study.js';

const BIN = join(import.meta.dirname, '..', '..', '..', '..', 'bin', 'sweepspec.js');
const unavailable = slurmUnavailable();
if (unavailable && process.env.CI === 'true') throw new Error(`CI must run the Slurm tests, but ${unavailable}`);
if (unavailable) console.warn(`Slurm integration tests skipped: ${unavailable}`);

let cluster: SlurmCluster;
let dir: string;
let spec: string;
let plan: RunPlan;

describe.skipIf(unavailable !== null)(`sweepspec on a local Slurm cluster${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  beforeAll(async () => {
    cluster = await startSlurmCluster();
    dir = await mkdtemp(join(tmpdir(), 'slurm-study-'));
    // Enough images that an epoch takes several seconds: the requeue below must land while a task is
    // still training (with 12 images an idle machine finished all three epochs before Slurm acted).
    spec = await writeImageStudy(dir, { epochs: 3, lrs: [0.05, 0.1, 0.02, 0.2], trainPerClass: 40 });
    plan = (await loadPlan(spec, { checkData: true })).plan;
  });
  afterAll(async () => {
    await cluster?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('an unknown partition fails with Slurm\'s message, exit 1, and records nothing', async () => {
    const results = join(dir, 'rejected');
    const out = await cli(['submit', spec, '--slurm', '--results', results, '--partition', 'nosuch']);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/sbatch failed: .*invalid partition/i);
    expect(await readdir(join(results, 'images', 'submissions')).catch(() => [])).toEqual([]);
    expect((await run('squeue', ['-h'], cluster.env)).trim()).toBe('');
  });

  it('runs every run with at most --max-parallel at once, survives requeue and SIGTERM, and writes the report last', async () => {
    const results = join(dir, 'results');
    const submitted = await cli(['submit', spec, '--slurm', '--results', results, '--max-parallel', '2', '--cpus-per-run', '1', '--backend', 'wasm']);
    expect(submitted.stderr).toBe('');
    expect(submitted.code).toBe(0);
    const [, array, report] = /job array (\d+) \(tasks 0-3, at most 2 at once\), report job (\d+) after it/.exec(submitted.stdout) ?? [];
    expect(array).toBeDefined();

    const again = await cli(['submit', spec, '--slurm', '--results', results]);
    // All four are queued or running, unless one already finished while the CLI started (a loaded machine).
    expect(again.stdout).toMatch(/^nothing to submit: /);
    const count = (what: string) => Number(new RegExp(`(\\d) ${what}`).exec(again.stdout)?.[1] ?? 0);
    expect(count('already queued or running') + count('completed')).toBe(4);
    expect(await readdir(join(results, 'images', 'submissions'))).toHaveLength(1);

    let most = 0;
    /** The task preempted below. */
    let target = -1;
    const sampling = setInterval(() => {
      void run('squeue', ['-h', '-r', '-t', 'RUNNING', '-j', array, '-o', '%i'], cluster.env).then((text) => {
        most = Math.max(most, text.split('\n').filter(Boolean).length);
      }, () => undefined);
    }, 300);
    try {
      await waitFor(async () => (await run('squeue', ['-h', '-r', '-t', 'RUNNING', '-j', array, '-o', '%i'], cluster.env)).trim() !== '', 60_000, 'a running task');
      // `status` (a CLI process: seconds, many on a loaded machine) runs while the test watches the tasks.
      const duringStatus = cli(['status', spec, '--results', results]);

      // Preemption as Slurm does it: the job is requeued; the task stops after its step and starts again.
      // The task preempted is one seen running between its first and last epoch (task i trains run i),
      // so that the requeue lands while it trains, however loaded the machine.
      const runPathsOf = (index: number) => runPaths(specPaths(results, 'images'), plan.runs[index].id);
      await waitFor(async () => {
        const running = (await run('squeue', ['-h', '-r', '-t', 'RUNNING', '-j', array, '-o', '%i'], cluster.env)).split('\n').filter(Boolean);
        for (const index of running.map((id) => Number(id.split('_')[1]))) {
          const epochs = (await readEpochMetrics(runPathsOf(index).metrics).catch(() => [])).length;
          if (epochs >= 1 && epochs < 3) target = index;
        }
        return target >= 0;
      }, 120_000, 'a task between its first and last epoch');
      const first = runPathsOf(target);
      await run('scontrol', ['requeue', `${array}_${target}`], cluster.env);
      const during = await duringStatus;
      expect(during.stdout).toMatch(new RegExp(`\\n  ${array}_\\d +[0-9a-f]{12} +lr=\\S+ +\\w+ \\d/3 +running on localhost\\n`));
      expect(during.stdout).toContain(`report job ${report}: queued (waits for the array to end)`);
      // Then the time limit's warning while it trains again: SIGTERM to the batch shell; the task requeues itself.
      const trainingStarts = async () => (await readFile(first.log, 'utf8')).split('\n').filter((line) => line.endsWith(' training')).length;
      await waitFor(async () => (await trainingStarts()) >= 2, 120_000, `task ${target} to train again after the requeue`);
      expect((await readEpochMetrics(first.metrics)).length).toBeLessThan(3);
      await run('scancel', ['--signal=TERM', '--batch', `${array}_${target}`], cluster.env);
      await waitFor(async () => !(await activeJobs([array, report])), 180_000, 'the array and the report job to end');
    } finally {
      clearInterval(sampling);
    }
    expect(most).toBeLessThanOrEqual(2);
    expect(most).toBeGreaterThanOrEqual(1);

    const records = await Promise.all(plan.runs.map((r) => readRunRecord(runPaths(specPaths(results, 'images'), r.id).record)));
    expect(records.map((r) => r?.status)).toEqual(['completed', 'completed', 'completed', 'completed']);
    const preempted = plan.runs[target];
    const taskLog = await readFile(join(results, 'images', 'submissions', (await readdir(join(results, 'images', 'submissions')))[0], 'logs', `${array}_${target}.out`), 'utf8');
    expect(taskLog).toContain(`task ${target}: requeued job ${array}_${target}; it continues from the last completed epoch`);
    const runLog = await readFile(runPaths(specPaths(results, 'images'), preempted.id).log, 'utf8');
    expect(runLog.match(/resume run/g)?.length).toBe(2);
    const epochs = (await readEpochMetrics(runPaths(specPaths(results, 'images'), preempted.id).metrics)).map((m) => m.epoch);
    expect(epochs).toEqual([1, 2, 3]);

    // The report job ran once the array had ended: its report is newer than every run's end.
    const reportState = (await run('squeue', ['-h', '-t', 'all', '-j', report, '-o', '%T'], cluster.env)).trim();
    expect(reportState).toBe('COMPLETED');
    const written = (await stat(join(results, 'images', 'report.html'))).mtimeMs;
    for (const record of records) expect(written).toBeGreaterThan(Date.parse(record!.finished_at!));

    const final = await cli(['status', spec, '--results', results]);
    expect(final.stdout).toContain('4 runs: 4 completed');
    expect(final.stdout).toContain(`report job ${report}: ended`);
    const done = await cli(['submit', spec, '--slurm', '--results', results]);
    expect(done.code).toBe(0);
    expect(done.stdout).toBe('nothing to submit: 4 completed\n');

    // The preempted run ends exactly where an uninterrupted one does.
    const reference = join(dir, 'reference');
    const local = await cli(['run', spec, '--results', reference, '--only', preempted.id, '--backend', 'wasm']);
    expect(local.code).toBe(0);
    const metricsOf = async (root: string) => (await readEpochMetrics(runPaths(specPaths(root, 'images'), preempted.id).metrics)).map(learned);
    expect(await metricsOf(results)).toEqual(await metricsOf(reference));
    const evaluation = async (root: string) => JSON.parse(await readFile(runPaths(specPaths(root, 'images'), preempted.id).evaluation, 'utf8')) as unknown;
    expect(await evaluation(results)).toEqual(await evaluation(reference));
  }, 420_000);

  it('cancel leaves resumable runs that a later submit finishes', async () => {
    const results = join(dir, 'cancelled');
    const only = ['--only', 'lr=0.02'];
    const submitted = await cli(['submit', spec, '--slurm', '--results', results, '--backend', 'wasm', '--cpus-per-run', '1', ...only]);
    const [, array, report] = /job array (\d+) .*report job (\d+)/.exec(submitted.stdout) ?? [];
    expect(submitted.stdout).toContain('submitted 1 run ');
    const paths = plan.runs.filter((r) => r.name === 'lr=0.02').map((r) => runPaths(specPaths(results, 'images'), r.id));
    await waitFor(async () => (await readEpochMetrics(paths[0].metrics).catch(() => [])).length >= 1, 120_000, 'epoch 1 of a task');

    const cancelled = await cli(['cancel', spec, '--results', results]);
    expect(cancelled.code).toBe(0);
    expect(cancelled.stdout).toContain('cancelled 1 task:');
    expect(cancelled.stdout).toContain(`report job ${report}`);
    await waitFor(async () => !(await activeJobs([array, report])), 60_000, 'the cancelled jobs to end');
    // Stopped after its step (record `interrupted`), or, on a machine too loaded to finish the step
    // within KillWait, killed holding its lease: status sees the dead process and says interrupted too.
    const [stopped] = (await readSweepStatus(plan, results)).filter((row) => row.id === paths[0].dir.split('/').pop());
    expect(stopped.status).toBe('interrupted');
    expect(stopped.epochsCompleted).toBeGreaterThanOrEqual(1);
    const status = await cli(['status', spec, '--results', results]);
    expect(status.stdout).toMatch(new RegExp(`${array}_0 .* interrupted \\d/3 +cancelled`));

    const resumed = await cli(['submit', spec, '--slurm', '--results', results, '--backend', 'wasm', '--cpus-per-run', '1', ...only]);
    expect(resumed.stdout).toContain('submitted 1 run ');
    const [, array2, report2] = /job array (\d+) .*report job (\d+)/.exec(resumed.stdout) ?? [];
    await waitFor(async () => !(await activeJobs([array2, report2])), 180_000, 'the second submission to end');
    for (const p of paths) expect((await readRunRecord(p.record))?.status).toBe('completed');
    expect(await readFile(paths[0].log, 'utf8')).toContain('resume run');
    expect((await readEpochMetrics(paths[0].metrics)).map((m) => m.epoch)).toEqual([1, 2, 3]);
  }, 300_000);

  it('a tpe search: each proposal slot is a task that proposes its run when it starts, from the results recorded by then', async () => {
    const tpeSpec = join(dir, 'tpe.yaml');
    const text = (await readFile(spec, 'utf8'))
      .replace('name: images', 'name: tpe-images')
      .replace(/epochs: \d+/, 'epochs: 1')
      .replace(/experiments:[\s\S]*$/, 'experiments:\n  lr-search:\n    search: { method: tpe, samples: 3, startup: 1, seed: 2 }\n    matrix:\n      optimizer.lr: { loguniform: [1.0e-3, 1.0e-1] }\n');
    await writeFile(tpeSpec, text);
    const results = join(dir, 'tpe');
    // One task at a time, so each slot's proposal sees every earlier run finished.
    const submitted = await cli(['submit', tpeSpec, '--slurm', '--results', results, '--backend', 'wasm', '--cpus-per-run', '1', '--max-parallel', '1']);
    expect(submitted.code).toBe(0);
    expect(submitted.stdout).toMatch(/submitted 3 runs .*job array (\d+) \(tasks 0-2, at most 1 at once\)/);
    expect(submitted.stdout).toMatch(/_1 +lr-search#2 +lr-search#2\n/);
    const [, array, report] = /job array (\d+) .*report job (\d+)/.exec(submitted.stdout) ?? [];
    await waitFor(async () => !(await activeJobs([array, report])), 240_000, 'the tpe submission to end');

    const proposals = await Promise.all([1, 2].map(async (slot) => JSON.parse(await readFile(join(results, 'tpe-images', 'search', 'lr-search', `slot-000${slot}.json`), 'utf8')) as { run: string; below: string[]; above: string[] }));
    // Slot 3 was proposed after slot 2's run had finished: it saw both earlier runs.
    expect(proposals[1].below.length + proposals[1].above.length).toBe(2);
    for (const { run } of proposals) expect((await readRunRecord(runPaths(specPaths(results, 'tpe-images'), run).record))?.status).toBe('completed');
    const status = await cli(['status', tpeSpec, '--results', results]);
    expect(status.stdout).toContain('3 runs: 3 completed');
    expect(status.stdout).toContain(`${array}_2  ${proposals[1].run}  lr-search#3`);
    expect((await cli(['submit', tpeSpec, '--slurm', '--results', results])).stdout).toContain('nothing to submit: 3 completed');
  }, 300_000);
});

/** What training learned, without the wall-clock fields. */
function learned(m: EpochMetrics): Omit<EpochMetrics, 'seconds' | 'images_per_second'> {
  const { seconds: _s, images_per_second: _i, ...rest } = m;
  return rest;
}

async function activeJobs(ids: readonly string[]): Promise<boolean> {
  const text = await run('squeue', ['-h', '-r', '-j', ids.join(','), '-o', '%T'], cluster.env).catch(() => '');
  return text.trim() !== '';
}

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env: cluster.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
