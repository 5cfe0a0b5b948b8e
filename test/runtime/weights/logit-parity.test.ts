import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ArchName } from '../../../compiler/types/run-config.js';
import { selectBackend } from '../../../runtime/backend/select-backend.js';
import * as tf from '../../../runtime/backend/tf.js';
import { buildNetwork } from '../../../runtime/models/build-network.js';
import { loadWeights } from '../../../runtime/weights/load-weights.js';
import { encodeSafetensors } from '../../../runtime/weights/safetensors.js';
import { formulaStateDict, formulaValues } from './formula-weights.js';

interface Fixtures {
  num_classes: number;
  input_shape_nchw: [number, number, number, number];
  archs: Record<string, { eval_logits: number[][]; train_logits?: number[][]; 'bn1.running_mean'?: number[]; 'bn1.running_var'?: number[] }>;
}

const fixtures = JSON.parse(readFileSync(new URL('./fixtures/logit-parity.json', import.meta.url), 'utf8')) as Fixtures;
const directory = mkdtempSync(join(tmpdir(), 'sweepspec-parity-'));

function relativeError(actual: ArrayLike<number>, expected: readonly number[]): number {
  let diff = 0;
  let scale = 1e-12;
  expected.forEach((e, i) => {
    diff = Math.max(diff, Math.abs(actual[i] - e));
    scale = Math.max(scale, Math.abs(e));
  });
  return diff / scale;
}

function input(): tf.Tensor4D {
  const [n, c, h, w] = fixtures.input_shape_nchw;
  return tf.tidy(() => tf.transpose(tf.tensor4d(formulaValues('input', [n, c, h, w]), [n, c, h, w]), [0, 2, 3, 1]));
}

/** The tensorflow backend when `sweepspec setup native` (or an npm install with libtensorflow) provided it. */
const tensorflow = await selectBackend('tensorflow').then(
  () => null,
  (error: unknown) => (error as Error).message,
);
const files = new Map<ArchName, string>();

function weightsFile(arch: ArchName): string {
  let file = files.get(arch);
  if (!file) {
    file = join(directory, `${arch}.safetensors`);
    writeFileSync(file, encodeSafetensors(formulaStateDict(arch, fixtures.num_classes)));
    files.set(arch, file);
  }
  return file;
}

describe.each([
  { backend: 'wasm' as const, skip: null, label: 'wasm' },
  { backend: 'tensorflow' as const, skip: tensorflow, label: tensorflow ? `tensorflow skipped: ${tensorflow}` : 'tensorflow' },
])('logits match PyTorch on weights loaded through the safetensors import path ($label)', ({ backend, skip }) => {
  beforeAll(async () => {
    if (!skip) await selectBackend(backend);
  });

  // All four on wasm; on tensorflow resnet34 adds nothing resnet18 does not cover.
  const archs: ArchName[] = backend === 'wasm' ? ['resnet18', 'resnet34', 'resnet50', 'squeezenet1_1'] : ['resnet18', 'resnet50', 'squeezenet1_1'];
  it.skipIf(skip !== null).each(archs)('%s', async (arch: ArchName) => {
    const network = buildNetwork({ arch, numClasses: fixtures.num_classes, trainableLayers: 'all', dropout: 0, seed: 99 });
    const report = await loadWeights(network, weightsFile(arch));
    expect(report.skippedHead).toEqual([]);
    const x = input();
    const expected = fixtures.archs[arch];
    const evaluation = network.forwardSuffix(network.forwardPrefix(x), { training: false });
    expect(relativeError(evaluation.logits.dataSync(), expected.eval_logits.flat())).toBeLessThan(1e-4);
    if (expected.train_logits) {
      const training = network.forwardSuffix(x, { training: true });
      expect(relativeError(training.logits.dataSync(), expected.train_logits.flat())).toBeLessThan(1e-4);
      const mean = training.batchNormUpdates.get('bn1.running_mean') as tf.Tensor;
      const variance = training.batchNormUpdates.get('bn1.running_var') as tf.Tensor;
      expect(relativeError(mean.dataSync(), expected['bn1.running_mean'] ?? [])).toBeLessThan(1e-4);
      expect(relativeError(variance.dataSync(), expected['bn1.running_var'] ?? [])).toBeLessThan(1e-4);
      tf.dispose([training.logits, ...training.batchNormUpdates.values()]);
    }
    tf.dispose([x, evaluation.logits]);
    network.dispose();
  });
});
