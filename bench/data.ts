/**
 * The data pipeline's benchmark (`npm run bench -- data`):
 * - decode + transform throughput (images/s through createBatchSource's eval
 *   role, ending in normalised NHWC floats) at 224 px from 640 x 480 JPEGs and
 *   at 32 px from the committed Fashion-MNIST sample: cold (nothing cached),
 *   cached in memory (a later epoch), cached on disk (a later process), and
 *   augmented training images at 224 px (RandomResizedCrop + flip + rotation
 *   from the cached source copy), each next to the rate at which a full
 *   resnet18 training step consumes images of that size;
 * - the frozen-trunk feature cache on a sweep of 4 runs x 5 epochs of a
 *   resnet18 with only its new head training (trainable_layers 0): every
 *   batch of every epoch goes through the data path and the head's forward,
 *   once with the cache and once recomputing the trunk (what a plain loop
 *   does). The ratio is the speedup.
 * - side by side with PyTorch's DataLoader (tools/reference/bench-dataloader.py,
 *   same JPEGs, same transforms, 0 and 2 workers, Debian's torch through
 *   /usr/bin/python3 when it imports): cold decode + eval transform and
 *   augmented images at 224 px, with 0, 1 and 2 data workers (scaling: one
 *   thread, all data work on the main thread as PyTorch's num_workers=0, to
 *   two workers; and one worker to two) and the
 *   ratios at equal worker counts;
 * Numbers measured on a shared machine are contended; the notes say which
 * backend ran.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import type { RunConfig } from '../compiler/types/run-config.js';
import * as tf from '../runtime/backend/tf.js';
import { createBatchSource } from '../runtime/data/batch-source.js';
import { createDataCaches, type DataCaches } from '../runtime/data/data-caches.js';
import { resetDataWorkers } from '../runtime/data/data-workers.js';
import type { ImageSample } from '../runtime/data/types.js';
import type { Network } from '../runtime/models/network.js';
import type { BenchRow } from './types.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FMNIST = path.join(ROOT, 'data/fmnist-mini');
const GROUP = 'data';
const AUGMENT = { random_resized_crop: { scale: [0.2, 1], ratio: [3 / 4, 4 / 3] }, horizontal_flip: true, rotation: 30 } as const;

/** Single measurements: `npm run bench` takes the median of three runs of the module. */
export const defaultRepeat = 3;

export async function bench(): Promise<BenchRow[]> {
  const { selectBackend, describeBackendChoice } = await import('../runtime/backend/select-backend.js');
  const backend = describeBackendChoice(await selectBackend('auto'));
  const work = await mkdtemp(path.join(os.tmpdir(), 'sweepspec-bench-data-'));
  try {
    const rows: BenchRow[] = [];
    const photos = await photoCorpus(path.join(work, 'photos'), Number(process.env.SWEEPSPEC_BENCH_DATA_PHOTOS ?? 64));
    rows.push(...(await loaderComparison(photos, path.join(work, 'compare'))));
    await (await resetDataWorkers()).warmUp();
    rows.push(...(await throughput(photos, 224, path.join(work, 'cache-224'), '640 x 480 JPEG')));
    rows.push(await trainingStepRate(224, 8, backend));
    const fmnist = await folderSamples(FMNIST, 'train');
    rows.push(...(await throughput({ root: FMNIST, samples: fmnist.slice(0, 400) }, 32, path.join(work, 'cache-32'), '28 x 28 PNG')));
    rows.push(await trainingStepRate(32, 32, backend));
    rows.push(...(await featureCacheSweep(FMNIST, fmnist, path.join(work, 'cache-features'), backend)));
    return rows;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

interface Corpus {
  readonly root: string;
  readonly samples: readonly ImageSample[];
}

function config(root: string, size: number, augment: RunConfig['augment'] = false, batch = 32): RunConfig {
  return {
    data: { root, train: 'train', test: null, validation: { fraction: 0.15, stratify: true }, image_size: size, batch_size: batch, eval_batch_size: batch, on_bad_image: 'error' },
    augment,
  } as unknown as RunConfig;
}

/** A network whose prefix is the identity: measures the data path alone. */
function identityNetwork(): Network {
  return {
    arch: 'resnet18', numClasses: 1, parameters: new Map(), buffers: new Map(), trainableNames: [], frozenPrefixId: null,
    forwardPrefix: (x) => x.clone(),
    forwardSuffix: () => { throw new Error('not used'); },
    dispose: () => undefined,
  };
}

async function epochRate(corpus: Corpus, size: number, caches: DataCaches | null, role: 'train' | 'eval', augment: RunConfig['augment'] = false, epoch = 1) {
  const source = createBatchSource({ samples: corpus.samples, root: corpus.root, role, config: config(corpus.root, size, augment), network: identityNetwork(), seed: 0, caches });
  const start = performance.now();
  for await (const batch of source.batches(epoch)) batch.inputs.dispose();
  return corpus.samples.length / ((performance.now() - start) / 1000);
}

async function throughput(corpus: Corpus, size: number, cacheDir: string, what: string): Promise<BenchRow[]> {
  const caches = createDataCaches({ cacheDir });
  const cold = await epochRate(corpus, size, caches, 'eval');
  await caches.images.settled();
  const memory = await epochRate(corpus, size, caches, 'eval', false, 2);
  const disk = await epochRate(corpus, size, createDataCaches({ cacheDir }), 'eval');
  await epochRate(corpus, size, caches, 'train', AUGMENT, 1);
  const augmented = await epochRate(corpus, size, caches, 'train', AUGMENT, 2);
  const note = `${corpus.samples.length} ${what} images, eval transform to ${size} px, normalised floats, batch 32`;
  return [
    { group: GROUP, name: `decode + transform ${size} px, cold`, value: cold, unit: 'images/s', note },
    { group: GROUP, name: `decode + transform ${size} px, cached in memory`, value: memory, unit: 'images/s', note },
    { group: GROUP, name: `decode + transform ${size} px, cached on disk (new process)`, value: disk, unit: 'images/s', note },
    { group: GROUP, name: `augmented train images ${size} px (crop, flip, rotation)`, value: augmented, unit: 'images/s', note: `${note}; source copy cached` },
  ];
}

/** What the data must keep up with: a full resnet18 training step (SGD, every layer trains) on random inputs. */
async function trainingStepRate(size: number, batchSize: number, backend: string): Promise<BenchRow> {
  const { buildNetwork } = await import('../runtime/models/build-network.js');
  const { createOptimizer } = await import('../runtime/train/index.js');
  const { trainStep } = await import('../runtime/train/train-step.js');
  const network = buildNetwork({ arch: 'resnet18', numClasses: 10, trainableLayers: 'all', dropout: 0, seed: 0 });
  const optimizer = createOptimizer({ type: 'sgd', lr: 0.01, momentum: 0.9, nesterov: false, weight_decay: 0 });
  const inputs = tf.randomNormal([batchSize, size, size, 3]);
  const batch = { inputs, labels: Int32Array.from({ length: batchSize }, (_, i) => i % 10), samples: [] };
  const step = () => trainStep({ network, optimizer, batch, lr: 0.01, classWeights: null, labelSmoothing: 0, dropoutSeed: 0 });
  step();
  const steps = size >= 224 ? 1 : 3;
  const start = performance.now();
  for (let i = 0; i < steps; i++) step();
  const rate = (steps * batchSize) / ((performance.now() - start) / 1000);
  inputs.dispose();
  optimizer.dispose();
  network.dispose();
  return { group: GROUP, name: `resnet18 training step ${size} px, for comparison`, value: rate, unit: 'images/s', note: `batch ${batchSize}, ${steps} step(s) after a warm-up; ${backend}` };
}

async function featureCacheSweep(root: string, all: readonly ImageSample[], cacheDir: string, backend: string): Promise<BenchRow[]> {
  const { buildNetwork } = await import('../runtime/models/build-network.js');
  const count = Number(process.env.SWEEPSPEC_BENCH_DATA_SWEEP_IMAGES ?? 100);
  const train = all.filter((_, i) => i % 6 !== 0).slice(0, Math.round(count * 0.85));
  const validation = all.filter((_, i) => i % 6 === 0).slice(0, count - train.length);
  const runs = 4;
  const epochs = 5;
  const size = 64;
  // Like the runner: per run one network and one batch source per role; only the epochs are timed.
  const sweep = async (caches: DataCaches | null) => {
    let seconds = 0;
    for (let run = 0; run < runs; run++) {
      const network = buildNetwork({ arch: 'resnet18', numClasses: 10, trainableLayers: 0, dropout: 0, seed: 0 });
      const sources = ([[train, 'train'], [validation, 'eval']] as const).map(([samples, role]) =>
        createBatchSource({ samples, root, role, config: config(root, size, false, 32), network, seed: run, caches }),
      );
      const start = performance.now();
      for (let epoch = 1; epoch <= epochs; epoch++) {
        for (const source of sources) {
          for await (const batch of source.batches(epoch)) {
            tf.tidy(() => network.forwardSuffix(batch.inputs, { training: false }).logits);
            batch.inputs.dispose();
          }
        }
      }
      seconds += (performance.now() - start) / 1000;
      network.dispose();
    }
    return seconds;
  };
  const naive = await sweep(null);
  const cached = await sweep(createDataCaches({ cacheDir }));
  const note = `${runs} runs x ${epochs} epochs, ${train.length} train + ${validation.length} validation images at ${size} px, head-only resnet18, epochs timed (network building excluded); ${backend}`;
  return [
    { group: GROUP, name: 'frozen resnet18 sweep, trunk recomputed every epoch', value: naive, unit: 's', note },
    { group: GROUP, name: 'frozen resnet18 sweep, feature cache', value: cached, unit: 's', note },
    { group: GROUP, name: 'feature cache speedup', value: naive / cached, unit: 'x', note: 'above 1: the cache is faster' },
  ];
}

export async function photoCorpus(root: string, count: number): Promise<Corpus> {
  const samples: ImageSample[] = [];
  await mkdir(path.join(root, 'train/a'), { recursive: true });
  for (let i = 0; i < count; i++) {
    const width = 640;
    const height = 480;
    const raw = Buffer.alloc(width * height * 3);
    for (let p = 0; p < width * height; p++) {
      const x = p % width;
      const y = Math.floor(p / width);
      raw[p * 3] = 128 + 100 * Math.sin(x / (7 + i) + y / 13);
      raw[p * 3 + 1] = 128 + 100 * Math.cos(y / 9 - x / (17 + i));
      raw[p * 3 + 2] = ((x * y + i * 7919) >>> 3) & 255;
    }
    const file = `train/a/${String(i).padStart(3, '0')}.jpg`;
    await writeFile(path.join(root, file), await sharp(raw, { raw: { width, height, channels: 3 } }).jpeg({ quality: 90 }).toBuffer());
    samples.push({ file, label: 0 });
  }
  return { root, samples };
}

async function folderSamples(root: string, split: string): Promise<ImageSample[]> {
  const classes = (await readdir(path.join(root, split))).sort();
  const samples: ImageSample[] = [];
  for (const [label, name] of classes.entries()) {
    for (const file of (await readdir(path.join(root, split, name))).sort()) samples.push({ file: `${split}/${name}/${file}`, label });
  }
  // Interleave classes so every slice holds all of them.
  return samples.map((s, i) => ({ s, k: (i % 60) * 100 + s.label })).sort((a, b) => a.k - b.k).map((x) => x.s);
}

const PYTHON = '/usr/bin/python3';
const COMPARE_WORKERS = [0, 1, 2] as const;

/**
 * sweepspec's data workers against PyTorch's DataLoader on the same photos.
 * Both sides keep their workers between passes and warm them up with one
 * untimed pass (PyTorch: persistent_workers), then take the median of
 * PASSES. sweepspec's cold passes each get a fresh cache (so they decode and
 * write the cache as a first epoch does); augmented passes crop from the
 * cached source copy, as every epoch after the first does, and a cold
 * augmented figure (decoding the source too) is reported beside it.
 */
export async function loaderComparison(corpus: Corpus, work: string): Promise<BenchRow[]> {
  const passes = Number(process.env.SWEEPSPEC_BENCH_DATA_PASSES ?? 3);
  const size = 224;
  const ours = new Map<string, number>();
  let fresh = 0;
  const coldCaches = () => createDataCaches({ cacheDir: path.join(work, `cold-${fresh++}`) });
  for (const workers of COMPARE_WORKERS) {
    await (await resetDataWorkers(workers)).warmUp();
    await epochRate(corpus, size, coldCaches(), 'eval'); // an untimed pass, as on the PyTorch side
    const medianOf = async (pass: (i: number) => Promise<number>) => {
      const rates: number[] = [];
      for (let i = 0; i < passes; i++) rates.push(await pass(i));
      return medianValue(rates);
    };
    ours.set(`eval ${workers}`, await medianOf(() => epochRate(corpus, size, coldCaches(), 'eval')));
    ours.set(`augment-cold ${workers}`, await medianOf((i) => epochRate(corpus, size, coldCaches(), 'train', AUGMENT, i + 1)));
    const cached = coldCaches();
    await epochRate(corpus, size, cached, 'train', AUGMENT, 1);
    ours.set(`augment ${workers}`, await medianOf((i) => epochRate(corpus, size, cached, 'train', AUGMENT, i + 2)));
  }
  const note = `${corpus.samples.length} 640 x 480 JPEGs to ${size} px normalised floats, batch 32, median of ${passes} passes after a warm-up`;
  const rows: BenchRow[] = [];
  for (const workers of COMPARE_WORKERS) {
    rows.push({ group: GROUP, name: `sweepspec ${workers} data worker(s): decode + eval transform ${size} px, cold`, value: ours.get(`eval ${workers}`)!, unit: 'images/s', note });
    rows.push({ group: GROUP, name: `sweepspec ${workers} data worker(s): augmented ${size} px, cached source`, value: ours.get(`augment ${workers}`)!, unit: 'images/s', note });
    rows.push({ group: GROUP, name: `sweepspec ${workers} data worker(s): augmented ${size} px, cold`, value: ours.get(`augment-cold ${workers}`)!, unit: 'images/s', note: `${note}; decoding the source copy too` });
  }
  for (const kind of ['eval', 'augment', 'augment-cold']) {
    rows.push({ group: GROUP, name: `sweepspec scaling 1 thread -> 2 data workers, ${kind}`, value: ours.get(`${kind} 2`)! / ours.get(`${kind} 0`)!, unit: 'x', note: 'target >= 1.7x; 1 thread: SWEEPSPEC_DATA_WORKERS=0, as PyTorch num_workers=0' });
    rows.push({ group: GROUP, name: `sweepspec scaling 1 -> 2 data workers, ${kind}`, value: ours.get(`${kind} 2`)! / ours.get(`${kind} 1`)!, unit: 'x', note: 'one worker also keeps the main thread busy on the other core' });
  }
  const torch = await pytorchLoader(corpus.root, size, passes);
  if (!torch) {
    rows.push({ group: GROUP, name: 'pytorch DataLoader', value: 0, unit: '-', note: `no ${PYTHON} with torch and torchvision: ratios not computed` });
    return rows;
  }
  const versions = `torch ${torch.versions.torch}, torchvision ${torch.versions.torchvision}, Pillow ${torch.versions.pillow}`;
  for (const workers of [0, 2]) {
    rows.push({ group: GROUP, name: `pytorch DataLoader ${workers} workers: decode + eval transform ${size} px`, value: torch.eval[String(workers)], unit: 'images/s', note: `${versions}; decodes every pass` });
    rows.push({ group: GROUP, name: `pytorch DataLoader ${workers} workers: augmented ${size} px`, value: torch.augment[String(workers)], unit: 'images/s', note: `${versions}; decodes every pass` });
  }
  rows.push({ group: GROUP, name: `sweepspec / pytorch at 2 workers, decode + eval transform ${size} px, cold`, value: ours.get('eval 2')! / torch.eval['2'], unit: 'x', note: 'target >= 1.0x' });
  rows.push({ group: GROUP, name: `sweepspec / pytorch at 2 workers, augmented ${size} px`, value: ours.get('augment 2')! / torch.augment['2'], unit: 'x', note: 'target >= 1.0x; sweepspec crops from its cached source copy' });
  rows.push({ group: GROUP, name: `sweepspec / pytorch at 2 workers, augmented ${size} px, both decoding`, value: ours.get('augment-cold 2')! / torch.augment['2'], unit: 'x', note: 'sweepspec decodes the source copy too, as in a first epoch' });
  rows.push({ group: GROUP, name: `sweepspec / pytorch at 0 workers, decode + eval transform ${size} px, cold`, value: ours.get('eval 0')! / torch.eval['0'], unit: 'x', note: 'one thread each' });
  rows.push({ group: GROUP, name: 'pytorch scaling 0 -> 2 workers, eval', value: torch.eval['2'] / torch.eval['0'], unit: 'x', note: 'for comparison with sweepspec 1 thread -> 2 data workers' });
  rows.push({ group: GROUP, name: 'pytorch scaling 0 -> 2 workers, augment', value: torch.augment['2'] / torch.augment['0'], unit: 'x', note: 'PyTorch decodes every pass' });
  return rows;
}

interface TorchLoaderRates {
  readonly eval: Record<string, number>;
  readonly augment: Record<string, number>;
  readonly versions: { torch: string; torchvision: string; pillow: string };
}

async function pytorchLoader(root: string, size: number, passes: number): Promise<TorchLoaderRates | null> {
  const script = path.join(ROOT, 'tools/reference/bench-dataloader.py');
  const args = [script, '--root', path.join(root, 'train'), '--size', String(size), '--workers', '0', '2', '--passes', String(passes)];
  return new Promise((resolve, reject) => {
    execFile(PYTHON, ['-c', 'import torch, torchvision'], (missing) => {
      if (missing) return resolve(null);
      execFile(PYTHON, args, { timeout: 600_000 }, (error, stdout, stderr) => {
        if (error) reject(new Error(`${script} failed: ${stderr || error.message}`));
        else resolve(JSON.parse(stdout) as TorchLoaderRates);
      });
    });
  });
}

function medianValue(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
