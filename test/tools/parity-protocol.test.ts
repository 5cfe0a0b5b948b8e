import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileFile } from '../../bin/load-plan.js';
import type { RunPlan } from '../../compiler/types/plan.js';

/**
 * Both sides of the parity evidence must run the same protocol: the PyTorch
 * script reads tools/parity/final-protocol.json, and the sweepspec spec must
 * resolve to the same settings. The sweep benchmark's spec must stay the
 * seed's architectures experiment that tools/parity/pytorch_sweep.py mirrors.
 */
interface Protocol {
  arch: string;
  pretrained: string;
  trainable_layers: number | 'all';
  dropout: number;
  image_size: number;
  batch_size: number;
  eval_batch_size: number;
  validation_fraction: number;
  optimizer: { type: string; lr: number; momentum: number; weight_decay: number };
  schedule: { type: string; step_size: number; gamma: number };
  epochs: number;
  select: string;
  augment: boolean;
  seeds: number[];
}

function planOf(spec: string): RunPlan {
  const result = compileFile(spec, { dataCheck: 'off' });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return result.plan!;
}

describe('specs/parity/final-protocol.yaml', () => {
  const protocol = JSON.parse(readFileSync('tools/parity/final-protocol.json', 'utf8')) as Protocol;
  const plan = planOf('specs/parity/final-protocol.yaml');

  it('runs one repeat per PyTorch seed', () => {
    expect(plan.runs.map((run) => run.config.seed)).toEqual(protocol.seeds);
  });

  it.each(protocol.seeds)('seed %i resolves to the PyTorch script\'s protocol', (seed) => {
    const config = plan.runs.find((run) => run.config.seed === seed)!.config;
    expect(config.model).toEqual({
      arch: protocol.arch, pretrained: protocol.pretrained, trainable_layers: protocol.trainable_layers, dropout: protocol.dropout,
    });
    expect(config.data).toMatchObject({
      root: '../../.cache/fmnist-3k', train: 'train', test: 'test', image_size: protocol.image_size,
      batch_size: protocol.batch_size, eval_batch_size: protocol.eval_batch_size,
      validation: { fraction: protocol.validation_fraction, stratify: true },
    });
    expect(config.optimizer).toEqual({ ...protocol.optimizer, nesterov: false });
    expect(config.schedule).toEqual(protocol.schedule);
    expect(config.loss).toEqual({ class_weights: 'none', label_smoothing: 0 });
    expect(config.augment).toBe(protocol.augment);
    expect(config.epochs).toBe(protocol.epochs);
    expect(config.select).toBe(protocol.select);
    expect(config.early_stopping).toBe(false);
  });
});

describe('specs/parity/architectures-64.yaml', () => {
  const plan = planOf('specs/parity/architectures-64.yaml');

  it('is the seed\'s architectures experiment at 64 px for 5 epochs, as pytorch_sweep.py runs it', () => {
    expect(plan.runs.map((run) => run.config.model.arch)).toEqual(['resnet18', 'resnet34', 'resnet50', 'squeezenet1_1']);
    for (const { config } of plan.runs) {
      expect(config.model).toMatchObject({ pretrained: 'none', trainable_layers: 0, dropout: 0 });
      expect(config.optimizer).toEqual({ type: 'adam', lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0 });
      expect(config.schedule).toEqual({ type: 'constant' });
      expect(config.augment).toBe(false);
      expect(config.data).toMatchObject({ image_size: 64, batch_size: 32, eval_batch_size: 16, validation: { fraction: 0.15, stratify: true } });
      expect(config.epochs).toBe(5);
      expect(config.select).toBe('val_accuracy');
    }
  });
});
