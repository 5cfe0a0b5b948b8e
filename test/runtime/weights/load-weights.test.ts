import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../../bin/user-error.js';
import { selectBackend } from '../../../runtime/backend/select-backend.js';
import * as tf from '../../../runtime/backend/tf.js';
import { buildNetwork } from '../../../runtime/models/build-network.js';
import type { Network } from '../../../runtime/models/network.js';
import { loadWeights } from '../../../runtime/weights/load-weights.js';
import { resolvePretrained } from '../../../runtime/weights/resolve-pretrained.js';
import { decodeSafetensors, encodeSafetensors, type TensorToWrite } from '../../../runtime/weights/safetensors.js';
import { saveWeights } from '../../../runtime/weights/save-weights.js';
import { formulaStateDict } from './formula-weights.js';

const directory = mkdtempSync(join(tmpdir(), 'sweepspec-weights-'));
let network: Network;

function write(name: string, tensors: Map<string, TensorToWrite>): string {
  const file = join(directory, name);
  writeFileSync(file, encodeSafetensors(tensors));
  return file;
}

describe('loadWeights / saveWeights', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
    network = buildNetwork({ arch: 'squeezenet1_1', numClasses: 4, trainableLayers: 'all', dropout: 0 });
  });
  afterAll(() => network.dispose());

  it('lists unknown, missing and mismatched keys in one error', async () => {
    const tensors = formulaStateDict('squeezenet1_1', 4);
    tensors.delete('features.3.squeeze.bias');
    tensors.set('features.99.weight', { dtype: 'F32', shape: [1], values: new Float32Array(1) });
    tensors.set('features.0.weight', { dtype: 'F32', shape: [64, 3, 5, 5], values: new Float32Array(64 * 3 * 25) });
    const error = await loadWeights(network, write('bad.safetensors', tensors)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toBe(
      `weights in ${join(directory, 'bad.safetensors')} do not fit squeezenet1_1 with 4 classes: ` +
        '1 unknown keys (features.99.weight); 1 missing keys (features.3.squeeze.bias); ' +
        '1 shape mismatches (features.0.weight is [64, 3, 5, 5], expected [64, 3, 3, 3])',
    );
  });

  it('skips and reports a head of another class count only when allowed', async () => {
    const file = write('ten.safetensors', formulaStateDict('squeezenet1_1', 10));
    await expect(loadWeights(network, file)).rejects.toThrow(/classifier\.1\.weight is \[10, 512, 1, 1\], expected \[4, 512, 1, 1\]/);
    const before = (network.parameters.get('classifier.1.weight') as tf.Variable).dataSync().slice();
    const report = await loadWeights(network, file, { allowHeadMismatch: true });
    expect(report.skippedHead).toEqual(['classifier.1.weight', 'classifier.1.bias']);
    expect(report.note).toMatch(/has 10 outputs, this network 4/);
    expect(Array.from((network.parameters.get('classifier.1.weight') as tf.Variable).dataSync())).toEqual(Array.from(before));
  });

  it("accepts the seed's fc.1.* head names for ResNets", async () => {
    const resnet = buildNetwork({ arch: 'resnet18', numClasses: 3, trainableLayers: 0, dropout: 0.5 });
    const tensors = formulaStateDict('resnet18', 3);
    const renamed = new Map([...tensors].map(([k, v]) => [k.startsWith('fc.') ? k.replace('fc.', 'fc.1.') : k, v]));
    const report = await loadWeights(resnet, write('seed.safetensors', renamed));
    expect(report.loaded).toBe(resnet.parameters.size + resnet.buffers.size);
    const fc = tensors.get('fc.bias')?.values as Float32Array;
    expect(Array.from((resnet.parameters.get('fc.bias') as tf.Variable).dataSync())).toEqual(Array.from(fc));
    resnet.dispose();
  });

  it('saves torch-layout state_dicts that load back exactly', async () => {
    const file = join(directory, 'out', 'checkpoint.safetensors');
    await saveWeights(network, file);
    const { tensors, metadata } = decodeSafetensors(new Uint8Array(readFileSync(file)));
    expect(metadata).toMatchObject({ format: 'pt', arch: 'squeezenet1_1', num_classes: '4' });
    expect(tensors.get('features.0.weight')?.shape).toEqual([64, 3, 3, 3]);
    const copy = buildNetwork({ arch: 'squeezenet1_1', numClasses: 4, trainableLayers: 0, dropout: 0, seed: 77 });
    await loadWeights(copy, file);
    for (const [name, variable] of network.parameters) {
      expect(Array.from((copy.parameters.get(name) as tf.Variable).dataSync())).toEqual(Array.from(variable.dataSync()));
    }
    copy.dispose();
  });
});

describe('resolvePretrained', () => {
  it('maps none, imagenet and relative paths, and names the command that makes a missing file', () => {
    expect(resolvePretrained('none', '/specs', 'resnet18')).toBeNull();
    const weights = mkdtempSync(join(tmpdir(), 'sweepspec-imagenet-'));
    expect(() => resolvePretrained('imagenet', '/specs', 'resnet50', { SWEEPSPEC_WEIGHTS: weights })).toThrow(
      `ImageNet weights for resnet50 not found at ${join(weights, 'resnet50-imagenet.safetensors')}. Make them where PyTorch and torchvision are installed with \`python3 tools/convert-torchvision-weights.py --arch resnet50 --out ${weights}\``,
    );
    writeFileSync(join(weights, 'resnet50-imagenet.safetensors'), '');
    expect(resolvePretrained('imagenet', '/specs', 'resnet50', { SWEEPSPEC_WEIGHTS: weights })).toBe(join(weights, 'resnet50-imagenet.safetensors'));
    expect(resolvePretrained('resnet50-imagenet.safetensors', weights, 'resnet50')).toBe(join(weights, 'resnet50-imagenet.safetensors'));
    expect(() => resolvePretrained('missing.safetensors', '/specs', 'resnet18')).toThrow('pretrained weights file /specs/missing.safetensors does not exist');
  });
});
