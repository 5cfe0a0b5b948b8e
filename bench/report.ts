/**
 * The report's benchmark (`npm run bench -- report`): a synthetic 200-run
 * sweep written to a temp dir (4 experiments of 50 runs, one with 2 repeats,
 * 10 epochs each, 10 classes, 1000 test predictions per run, 64 px test
 * images), then the time to read and model it and to write each format.
 * Target: the HTML report of 200 runs in under 10 s. Numbers measured on a
 * shared machine are contended.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { Random } from '../runtime/random.js';
import { loadReportModel, writeReport, type ReportFormat } from '../runtime/report/write-report.js';
import type { BenchRow } from './types.js';

const GROUP = 'report';
const RUNS = 200;
const EPOCHS = 10;
const CLASSES = ['tshirt', 'trouser', 'pullover', 'dress', 'coat', 'sandal', 'shirt', 'sneaker', 'bag', 'boot'];
const TEST_IMAGES = 1000;

/** Single measurements: `npm run bench` takes the median of three runs of the module. */
export const defaultRepeat = 3;

export async function bench(): Promise<BenchRow[]> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'sweepspec-bench-report-'));
  try {
    const results = await writeSyntheticSweep(work);
    const rows: BenchRow[] = [];
    const t0 = performance.now();
    await loadReportModel(results, { checkLeases: false });
    rows.push({ group: GROUP, name: `read + model, ${RUNS} runs`, value: (performance.now() - t0) / 1000, unit: 's' });
    for (const format of ['html', 'md', 'csv', 'json'] as ReportFormat[]) {
      const start = performance.now();
      await writeReport({ resultsDir: results, format, out: path.join(work, `out/report.${format}`), version: 'bench', checkLeases: false });
      const note = format === 'html' ? 'target < 10 s; includes reading, charts to SVG, thumbnails' : undefined;
      rows.push({ group: GROUP, name: `${format} report, ${RUNS} runs`, value: (performance.now() - start) / 1000, unit: 's', ...(note ? { note } : {}) });
    }
    return rows;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** A finished sweep with plausible curves; every number from a seeded PRNG. */
export async function writeSyntheticSweep(work: string): Promise<string> {
  const random = new Random(7);
  const dir = path.join(work, 'results', 'bench-report');
  const dataRoot = path.join(work, 'data');
  for (let i = 0; i < 50; i++) {
    const file = path.join(dataRoot, 'test', CLASSES[i % 10], `${i}.png`);
    await mkdir(path.dirname(file), { recursive: true });
    const shade = 40 + ((i * 37) % 180);
    await sharp({ create: { width: 64, height: 64, channels: 3, background: { r: shade, g: 255 - shade, b: 128 } } }).png().toFile(file);
  }
  const experiments = ['architectures', 'learning-rate', 'regularisation', 'schedules'];
  const runs = Array.from({ length: RUNS }, (_, i) => {
    const experiment = experiments[Math.floor(i / 50)];
    const repeat = experiment === 'learning-rate' ? (i % 2) + 1 : null;
    const value = experiment === 'learning-rate' ? Math.floor((i % 50) / 2) : i % 50;
    const axes = repeat ? { 'optimizer.lr': value / 1000, repeat } : { variant: `v${value}` };
    return {
      id: i.toString(16).padStart(12, '0'),
      name: repeat ? `lr=${value / 1000}${repeat > 1 ? `#${repeat}` : ''}` : `v${value}`,
      experiments: [experiment],
      axes: { [experiment]: axes },
      config: { epochs: EPOCHS, select: 'val_accuracy', seed: repeat ?? 0 },
    };
  });
  const plan = {
    version: 1,
    spec: 'specs/bench-report.yaml',
    name: 'bench-report',
    experiments: experiments.map((name) => ({
      name,
      title: name,
      axes: name === 'learning-rate' ? ['optimizer.lr', 'repeat'] : ['variant'],
      runs: runs.filter((r) => r.experiments[0] === name).map((r) => r.id),
    })),
    runs,
  };
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'plan.json'), JSON.stringify(plan));
  for (const run of runs) {
    const runDir = path.join(dir, 'runs', run.id);
    await mkdir(runDir, { recursive: true });
    const ceiling = 0.6 + 0.35 * random.next();
    const metrics = Array.from({ length: EPOCHS }, (_, e) => {
      const progress = 1 - Math.exp(-(e + 1) / 3);
      const val_accuracy = ceiling * progress + 0.02 * random.next();
      return {
        epoch: e + 1, train_loss: 2.3 * (1 - progress) + 0.1, train_accuracy: Math.min(1, val_accuracy + 0.05),
        val_loss: 2.3 * (1 - progress) + 0.2 + 0.05 * random.next(), val_accuracy, lr: 0.001, lr_end: 0.001, seconds: 12, images_per_second: 80,
      };
    });
    const predictions = Array.from({ length: TEST_IMAGES }, (_, k) => {
      const truth = k % 10;
      const predicted = random.next() < ceiling ? truth : Math.floor(random.next() * 10);
      const raw = CLASSES.map((_, c) => (c === predicted ? 3 : random.next()));
      const sum = raw.reduce((a, b) => a + b, 0);
      return { file: `test/${CLASSES[truth]}/${k % 50 - (k % 50) % 10 + truth}.png`, true_class: truth, predicted_class: predicted, probabilities: raw.map((p) => p / sum) };
    });
    const confusion = CLASSES.map(() => CLASSES.map(() => 0));
    for (const p of predictions) confusion[p.true_class][p.predicted_class]++;
    const perClass = CLASSES.map((_, c) => {
      const tp = confusion[c][c];
      const support = confusion[c].reduce((a, b) => a + b, 0);
      const predictedC = confusion.reduce((a, row) => a + row[c], 0);
      const precision = predictedC ? tp / predictedC : 0;
      const recall = support ? tp / support : 0;
      return { precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0, support };
    });
    const accuracy = CLASSES.reduce((a, _, c) => a + confusion[c][c], 0) / TEST_IMAGES;
    const mean = (k: 'precision' | 'recall' | 'f1') => perClass.reduce((a, c) => a + c[k], 0) / CLASSES.length;
    const avg = { precision: mean('precision'), recall: mean('recall'), f1: mean('f1'), support: TEST_IMAGES };
    const record = {
      id: run.id, name: run.name, experiments: run.experiments, status: 'completed', classes: CLASSES,
      backend: { name: 'wasm', skipped: [] }, versions: { sweepspec: 'bench' }, seconds: EPOCHS * 12, epochs_completed: EPOCHS,
      dataset: { root: dataRoot, fingerprint: 'bench', counts: { train: 6000, validation: 1000, test: TEST_IMAGES }, skipped_images: 0 },
    };
    const evaluation = {
      epoch: EPOCHS, split: 'test', accuracy, loss: 0.5, top3_accuracy: 0.95, mean_entropy: 0.4, confusion,
      report: { classes: CLASSES, per_class: perClass, accuracy, macro_avg: avg, weighted_avg: avg },
    };
    await writeFile(path.join(runDir, 'record.json'), JSON.stringify(record));
    await writeFile(path.join(runDir, 'metrics.jsonl'), metrics.map((m) => `${JSON.stringify(m)}\n`).join(''));
    await writeFile(path.join(runDir, 'evaluation.json'), JSON.stringify(evaluation));
    await writeFile(path.join(runDir, 'predictions.jsonl'), predictions.map((p) => `${JSON.stringify(p)}\n`).join(''));
  }
  return dir;
}
