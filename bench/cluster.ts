/**
 * The cluster benchmark: what handing a sweep to Slurm costs against running
 * it here. The same small study (4 runs of resnet18 from scratch on
 * data/fmnist-mini at 32 px, 2 epochs) is trained twice: by `sweepspec run
 * --jobs 2`, and by `sweepspec submit --slurm --max-parallel 2 --cpus-per-run 1`
 * on a single-node Slurm started on this machine (test/helpers/slurm-cluster.ts:
 * needs root and Debian's slurm-wlm and munge; otherwise the Slurm rows say
 * why they are missing). Both use the wasm backend so they train the same way.
 *
 * Figures: wall time until every run is completed (for Slurm also until the
 * report job has ended), and time from the command's start to the first
 * completed epoch of any run (metrics.jsonl appears), which shows the
 * per-task start-up: scheduling, a fresh Node process, backend and model set-up.
 * About 3 minutes on 2 idle cores.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { run as slurm, slurmUnavailable, startSlurmCluster, waitFor } from '../test/helpers/slurm-cluster.js';
import type { BenchRow } from './types.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(ROOT, 'bin/sweepspec.js');
const GROUP = 'cluster';
const STUDY = 'bench-cluster';
const RUNS = 4;

export async function bench(): Promise<BenchRow[]> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'sweepspec-bench-cluster-'));
  try {
    const spec = await writeSpec(work);
    const local = await timeLocal(spec, path.join(work, 'local'));
    const rows: BenchRow[] = [
      { group: GROUP, name: 'sweepspec run --jobs 2: wall time', value: local.wall, unit: 's', note: `${RUNS} runs x 2 epochs, resnet18 32 px, fmnist-mini, wasm` },
      { group: GROUP, name: 'sweepspec run --jobs 2: start to first epoch', value: local.firstEpoch, unit: 's' },
    ];
    const why = slurmUnavailable();
    if (why) {
      rows.push({ group: GROUP, name: 'Slurm array, max parallel 2: wall time', value: Number.NaN, unit: 's', note: `skipped: ${why}` });
      return rows;
    }
    const cluster = await startSlurmCluster();
    try {
      const onSlurm = await timeSlurm(spec, path.join(work, 'slurm'), cluster.env);
      rows.push(
        { group: GROUP, name: 'Slurm array, max parallel 2: wall time', value: onSlurm.wall, unit: 's', note: 'submit to every run completed; local single-node Slurm 22.05' },
        { group: GROUP, name: 'Slurm array: submit to first epoch', value: onSlurm.firstEpoch, unit: 's' },
        { group: GROUP, name: 'Slurm: submit to report job ended', value: onSlurm.withReport, unit: 's', note: 'the report job starts after the array (afterany)' },
        { group: GROUP, name: 'Slurm wall time / run --jobs 2 wall time', value: onSlurm.wall / local.wall, unit: 'x', note: 'above 1: the cost of scheduling and per-task start-up' },
      );
      return rows;
    } finally {
      await cluster.stop();
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function writeSpec(dir: string): Promise<string> {
  const root = path.relative(dir, path.join(ROOT, 'data/fmnist-mini')).split(path.sep).join('/');
  const spec = [
    'version: 1',
    `name: ${STUDY}`,
    'data:',
    `  root: ${root}`,
    '  validation: { fraction: 0.2, stratify: true }',
    '  image_size: 32',
    '  batch_size: 32',
    'defaults:',
    '  model: { arch: resnet18, pretrained: none }',
    '  optimizer: { type: sgd, lr: 0.05, momentum: 0.9 }',
    '  epochs: 2',
    'experiments:',
    '  lr:',
    '    matrix:',
    '      optimizer.lr: [0.1, 0.05, 0.02, 0.01]',
    '',
  ].join('\n');
  const file = path.join(dir, 'cluster.yaml');
  await writeFile(file, spec);
  return file;
}

async function timeLocal(spec: string, results: string): Promise<{ wall: number; firstEpoch: number }> {
  const started = Date.now();
  const code = await sweepspec(['run', spec, '--results', results, '--jobs', '2', '--backend', 'wasm', '--quiet'], process.env);
  if (code.code !== 0) throw new Error(`sweepspec run exited ${code.code}:\n${code.output.slice(-2000)}`);
  const wall = (Date.now() - started) / 1000;
  return { wall, firstEpoch: ((await firstEpochAt(results)) - started) / 1000 };
}

async function timeSlurm(spec: string, results: string, env: NodeJS.ProcessEnv): Promise<{ wall: number; firstEpoch: number; withReport: number }> {
  const started = Date.now();
  const submitted = await sweepspec(['submit', spec, '--slurm', '--results', results, '--max-parallel', '2', '--cpus-per-run', '1', '--backend', 'wasm'], env);
  const ids = /job array (\d+) .*report job (\d+)/.exec(submitted.output);
  if (submitted.code !== 0 || !ids) throw new Error(`sweepspec submit exited ${submitted.code}:\n${submitted.output.slice(-2000)}`);
  const [, array, report] = ids;
  const ended = async (id: string) => (await slurm('squeue', ['-h', '-r', '-j', id, '-o', '%T'], env).catch(() => '')).trim() === '';
  await waitFor(() => ended(array), 30 * 60_000, 'the array to end');
  const wall = (Date.now() - started) / 1000;
  await waitFor(() => ended(report), 10 * 60_000, 'the report job to end');
  const withReport = (Date.now() - started) / 1000;
  const status = await sweepspec(['status', spec, '--results', results], env);
  if (!status.output.includes(`${RUNS} runs: ${RUNS} completed`)) throw new Error(`not every run completed on Slurm:\n${status.output}`);
  return { wall, firstEpoch: ((await firstEpochAt(results)) - started) / 1000, withReport };
}

/** When the study's first epoch ended, from the runs' run.log lines (`<ISO time> epoch 1 {...}`). */
async function firstEpochAt(results: string): Promise<number> {
  const runs = path.join(results, STUDY, 'runs');
  let first = Number.POSITIVE_INFINITY;
  for (const id of await readdir(runs)) {
    const log = await readFile(path.join(runs, id, 'run.log'), 'utf8').catch(() => '');
    const line = log.split('\n').find((l) => / epoch 1 \{/.test(l));
    if (line) first = Math.min(first, Date.parse(line.split(' ')[0]));
  }
  if (!Number.isFinite(first)) throw new Error(`no run under ${runs} logged an epoch`);
  return first;
}

function sweepspec(args: readonly string[], env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20000));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}
