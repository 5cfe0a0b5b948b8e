/**
 * The sweep-level benchmark: the seed study's architectures experiment
 * (specs/parity/architectures-64.yaml: four frozen backbones with new heads,
 * Adam 1e-3, 64 px) run end to end by `sweepspec run`, against the
 * notebook's plain PyTorch loop (tools/parity/pytorch_sweep.py, full forward
 * pass every epoch, 2 threads) in the same invocation, at 5 epochs (the
 * spec's) and at the seed's 10 (SWEEPSPEC_BENCH_SWEEP_EPOCHS, a comma list,
 * chooses). Wall time of each and their ratio; docs/performance.md explains
 * the figures.
 *
 * Data: a 1,000 + 500 image Fashion-MNIST sample exported from Debian's
 * dataset-fashion-mnist into .cache/fmnist-bench; without those archives the
 * committed data/fmnist-mini (600 + 200) stands in, and the note says so.
 * The PyTorch half is skipped with a note when its Python lacks torch.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execute } from './execute.js';
import type { BenchRow } from './types.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SPEC = path.join(ROOT, 'specs/parity/architectures-64.yaml');
const FMNIST_ARCHIVES = '/usr/share/datasets/fashion-mnist';
const PYTHON = process.env.SWEEPSPEC_BENCH_PYTHON ?? '/usr/bin/python3';
const GROUP = 'sweep';

interface Sample {
  readonly root: string;
  readonly note: string;
}

interface Timed {
  readonly seconds: number;
  readonly code: number;
  readonly output: string;
}

export async function bench(): Promise<BenchRow[]> {
  const repeats = Math.max(1, Number(process.env.SWEEPSPEC_BENCH_SWEEP_REPEATS ?? 3) || 1);
  const epochsList = (process.env.SWEEPSPEC_BENCH_SWEEP_EPOCHS ?? '5,10').split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0);
  const sample = await prepareSample();
  const torch = await hasTorch();
  const rows: BenchRow[] = [];
  for (const epochs of epochsList) rows.push(...(await benchEpochs(epochs, repeats, sample, torch)));
  return rows;
}

async function benchEpochs(epochs: number, repeats: number, sample: Sample, torch: Awaited<ReturnType<typeof hasTorch>>): Promise<BenchRow[]> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'sweepspec-bench-sweep-'));
  let keep = false;
  try {
    const spec = await writeSpec(work, sample.root, epochs);
    const ours: number[] = [];
    const theirs: number[] = [];
    let oursNote = '';
    let theirsNote = '';
    for (let repeat = 0; repeat < repeats; repeat++) {
      const results = path.join(work, `results-${repeat}`);
      const run = await timed(process.execPath, [path.join(ROOT, 'bin/sweepspec.js'), 'run', spec, '--results', results, '--quiet']);
      if (run.code !== 0) {
        keep = true;
        throw new Error(`sweepspec run exited ${run.code} (results kept in ${results}):\n${run.output.slice(-2000)}`);
      }
      ours.push(run.seconds);
      oursNote = await describeSweepspec(path.join(results, 'bench-architectures-64'));
      if (!torch.ok) continue;
      const json = path.join(work, `pytorch-${repeat}.json`);
      const script = path.join(ROOT, 'tools/parity/pytorch_sweep.py');
      const loop = await timed(PYTHON, [script, '--data', sample.root, '--epochs', String(epochs), '--json', json]);
      if (loop.code !== 0) {
        keep = true;
        throw new Error(`pytorch_sweep.py exited ${loop.code} (files kept in ${work}):\n${loop.output.slice(-2000)}`);
      }
      theirs.push(loop.seconds);
      theirsNote = describePytorch(JSON.parse(await readFile(json, 'utf8')) as PytorchSweep);
    }
    const per = `median of ${repeats} run${repeats > 1 ? 's' : ''}; ${sample.note}`;
    const study = `4 frozen archs x ${epochs} epochs, 64 px`;
    const rows: BenchRow[] = [{ group: GROUP, name: `sweepspec run: ${study}`, value: median(ours), unit: 's', note: `${per}; ${oursNote}` }];
    if (!torch.ok) {
      rows.push({ group: GROUP, name: `PyTorch notebook loop: ${study}`, value: Number.NaN, unit: 's', note: `skipped: ${torch.reason}` });
      return rows;
    }
    const target = epochs === 5 ? '; target >= 2.5x' : epochs === 10 ? '; target >= 5x' : '';
    rows.push(
      { group: GROUP, name: `PyTorch notebook loop: ${study}`, value: median(theirs), unit: 's', note: `${per}; ${theirsNote}` },
      { group: GROUP, name: `PyTorch time / sweepspec time, ${epochs} epochs`, value: median(theirs) / median(ours), unit: 'x', note: `above 1: sweepspec is faster${target}` },
    );
    return rows;
  } finally {
    if (!keep) await rm(work, { recursive: true, force: true });
  }
}

/** The exported 1,500-image sample when Debian's archives are there, else the committed mini sample. */
async function prepareSample(): Promise<Sample> {
  const root = path.join(ROOT, '.cache/fmnist-bench');
  if (existsSync(path.join(FMNIST_ARCHIVES, 'train-images-idx3-ubyte.gz'))) {
    const python = existsSync(PYTHON) ? PYTHON : 'python3';
    const exporter = path.join(ROOT, 'tools/export-fmnist-sample.py');
    const args = [exporter, root, '--train-per-class', '100', '--test-per-class', '50'];
    const result = await timed(python, args);
    if (result.code === 0) return { root, note: 'Fashion-MNIST sample 1000 train (850 + 150 validation) + 500 test' };
  }
  return { root: path.join(ROOT, 'data/fmnist-mini'), note: 'data/fmnist-mini 600 train + 200 test (Debian Fashion-MNIST archives absent)' };
}

/** The committed spec with its data root pointed at the sample (roots are spec-relative) and its epochs set. */
async function writeSpec(dir: string, root: string, epochs: number): Promise<string> {
  const text = await readFile(SPEC, 'utf8');
  const relative = path.relative(dir, root).split(path.sep).join('/');
  const rooted = text.replace(/^(\s*root:\s*)\S+/m, `$1${relative}`);
  if (rooted === text) throw new Error(`${SPEC}: no data root line to point at the sample`);
  const epochsLine = /^(\s*epochs:\s*)\d+/m;
  if (!epochsLine.test(rooted)) throw new Error(`${SPEC}: no epochs line to set`);
  const replaced = rooted.replace(epochsLine, `$1${epochs}`);
  const file = path.join(dir, 'architectures-64.yaml');
  await writeFile(file, replaced);
  return file;
}

async function hasTorch(): Promise<{ ok: true } | { ok: false; reason: string }> {
  if (!existsSync(PYTHON)) return { ok: false, reason: `${PYTHON} not found` };
  const probe = await timed(PYTHON, ['-c', 'import torch, torchvision, sklearn']);
  return probe.code === 0 ? { ok: true } : { ok: false, reason: `${PYTHON} cannot import torch, torchvision and sklearn` };
}

async function timed(command: string, args: readonly string[]): Promise<Timed> {
  const started = process.hrtime.bigint();
  const { code, output } = await execute(command, args);
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, code, output };
}

/** Backend and per-architecture test accuracy, from the results folder. */
async function describeSweepspec(results: string): Promise<string> {
  const runs = path.join(results, 'runs');
  const parts: string[] = [];
  let backend = '';
  for (const id of await readdir(runs)) {
    const record = JSON.parse(await readFile(path.join(runs, id, 'record.json'), 'utf8')) as {
      name: string;
      backend?: { name: string; threads?: number };
    };
    const evaluation = JSON.parse(await readFile(path.join(runs, id, 'evaluation.json'), 'utf8')) as { accuracy: number };
    backend = record.backend ? `${record.backend.name}${record.backend.threads ? ` ${record.backend.threads} threads` : ''}` : 'backend unknown';
    parts.push(`${record.name.replace('arch=', '')} ${(100 * evaluation.accuracy).toFixed(1)}%`);
  }
  return `${backend}; test accuracy ${parts.sort().join(', ')}`;
}

interface PytorchSweep {
  readonly threads: number;
  readonly versions: { readonly torch: string };
  readonly runs: readonly { readonly arch: string; readonly test_accuracy: number }[];
}

function describePytorch(result: PytorchSweep): string {
  const parts = result.runs.map((run) => `${run.arch} ${(100 * run.test_accuracy).toFixed(1)}%`);
  return `torch ${result.versions.torch}, ${result.threads} threads; test accuracy ${parts.join(', ')}`;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
