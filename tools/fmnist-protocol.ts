/**
 * The seed's final protocol (resnet18 from scratch, 32 px, SGD 7e-3 momentum
 * 0.9 wd 1e-3, StepLR 4/0.5, dropout 0.4, 8 epochs, batch 32, 85/15 split,
 * select val_accuracy) trained by sweepspec's runtime on an ImageFolder
 * Fashion-MNIST sample, printed per epoch; with a PyTorch result from
 * tools/fmnist-protocol-torch.py (same split: tools/fmnist-split.ts) the two
 * side by side.
 *
 *   node --import tsx tools/fmnist-protocol.ts DATA_ROOT OUT.json [--torch TORCH.json] [--backend wasm] [--epochs 8]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { selectBackend, describeBackendChoice, type BackendPreference } from '../runtime/backend/select-backend.js';
import { createBatchSource, loadDatasetSplits } from '../runtime/data/index.js';
import { buildNetwork } from '../runtime/models/build-network.js';
import type { EpochMetrics } from '../runtime/results/records.js';
import { evaluate, trainRun } from '../runtime/train/index.js';
import { protocolConfig } from './fmnist-protocol-config.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { torch: { type: 'string' }, backend: { type: 'string', default: 'auto' }, epochs: { type: 'string', default: '8' } },
});
const [root, out] = positionals;
if (root === undefined || out === undefined) throw new Error('usage: fmnist-protocol.ts DATA_ROOT OUT.json [--torch TORCH.json]');
const config = protocolConfig(0, Number(values.epochs));
const backend = await selectBackend(values.backend as BackendPreference);
console.log(describeBackendChoice(backend));
const splits = await loadDatasetSplits({ data: config.data, root: path.resolve(root), seed: config.seed });
const network = buildNetwork({ arch: 'resnet18', numClasses: splits.classes.length, trainableLayers: 'all', dropout: 0.4, seed: config.seed });
const source = (samples: typeof splits.train, role: 'train' | 'eval') =>
  createBatchSource({ samples, root: splits.root, role, config, network, seed: config.seed, caches: null });
const started = performance.now();
const outcome = await trainRun({
  config, network, classWeights: null, seed: config.seed,
  train: source(splits.train, 'train'),
  validation: source(splits.validation, 'eval'),
  hooks: { onEpochEnd: ({ metrics }) => console.log(JSON.stringify(metrics)) },
});
const kept = outcome.state.best?.epoch ?? 0;
const test = await evaluate({ network, source: source(splits.test ?? [], 'eval'), classes: splits.classes, split: 'test', epoch: kept });
const seconds = (performance.now() - started) / 1000;
const result = { backend, status: outcome.status, history: outcome.state.history, best_epoch: kept,
  test_accuracy: test.evaluation.accuracy, test_loss: test.evaluation.loss, macro_f1: test.evaluation.report.macro_avg.f1, seconds };
writeFileSync(out, JSON.stringify(result, null, 1));
console.log(`status ${outcome.status}; kept epoch ${kept}; test accuracy ${test.evaluation.accuracy.toFixed(4)}, loss ${test.evaluation.loss.toFixed(4)}; ${seconds.toFixed(0)} s`);

if (values.torch !== undefined) {
  const torch = JSON.parse(readFileSync(values.torch, 'utf8')) as { history: EpochMetrics[]; best_epoch: number; test_accuracy: number; test_loss: number };
  const cell = (m: EpochMetrics | undefined) =>
    m === undefined ? '–' : `${m.train_loss.toFixed(3)} / ${m.train_accuracy.toFixed(3)} / ${m.val_loss.toFixed(3)} / ${m.val_accuracy.toFixed(3)} / ${m.images_per_second.toFixed(1)}`;
  console.log('| epoch | lr | sweepspec train loss / acc / val loss / acc / img/s | PyTorch train loss / acc / val loss / acc / img/s |');
  console.log('| --- | --- | --- | --- |');
  for (let e = 1; e <= config.epochs; e++) {
    const ours = outcome.state.history[e - 1];
    console.log(`| ${e} | ${ours?.lr ?? ''} | ${cell(ours)} | ${cell(torch.history[e - 1])} |`);
  }
  console.log(`| kept, test | | epoch ${kept}: acc ${test.evaluation.accuracy.toFixed(3)}, loss ${test.evaluation.loss.toFixed(3)} | epoch ${torch.best_epoch}: acc ${torch.test_accuracy.toFixed(3)}, loss ${torch.test_loss.toFixed(3)} |`);
}
network.dispose();
