import { describe, expect, it } from 'vitest';
import { compileFile } from '../../bin/load-plan.js';
import type { PlannedRun, RunPlan } from '../../compiler/types/plan.js';
import type { RunConfig } from '../../compiler/types/run-config.js';

/**
 * The seed study must say exactly what the notebook did (issue 8's list of
 * settings). Each expectation below is written from that list, not from the
 * compiler's output, so a spec edit or a compiler change that alters any
 * resolved value fails here.
 */
function planOf(spec: string): RunPlan {
  const result = compileFile(spec, { dataCheck: 'off' });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return result.plan!;
}

const plan = planOf('specs/seed/paintings.yaml');

function runsOf(experiment: string): Map<string, RunConfig> {
  const entry = plan.experiments.find((e) => e.name === experiment);
  expect(entry, experiment).toBeDefined();
  const byId = new Map<string, PlannedRun>(plan.runs.map((run) => [run.id, run]));
  return new Map(entry!.runs.map((id) => {
    const run = byId.get(id)!;
    const label = Object.values(run.axes[experiment] ?? {}).map(String).join(',');
    return [label, run.config];
  }));
}

const AUGMENT = { random_resized_crop: { scale: [0.2, 1.0], ratio: [0.75, 4 / 3] }, horizontal_flip: true, rotation: 30 };

describe('seed study common settings', () => {
  it('uses batch 32 (test 16), an 85/15 stratified split, ImageNet-pretrained backbones and cross-entropy', () => {
    for (const run of plan.runs) {
      expect(run.config.data.batch_size).toBe(32);
      expect(run.config.data.eval_batch_size).toBe(16);
      expect(run.config.data.validation).toEqual({ fraction: 0.15, stratify: true });
      expect(run.config.data.image_size).toBe(224);
      expect(run.config.model.pretrained).toBe('imagenet');
      expect(run.config.loss.label_smoothing).toBe(0);
      expect(run.config.select).toBe('val_accuracy');
    }
  });
});

describe('seed study experiments', () => {
  it('architectures: four frozen backbones with a new head, Adam 1e-3', () => {
    const runs = runsOf('architectures');
    expect([...runs.keys()]).toEqual(['resnet18', 'resnet34', 'resnet50', 'squeezenet1_1']);
    for (const [arch, config] of runs) {
      expect(config.model).toMatchObject({ arch, trainable_layers: 0, dropout: 0 });
      expect(config.optimizer).toEqual({ type: 'adam', lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0 });
      expect(config.schedule).toEqual({ type: 'constant' });
      expect(config.loss.class_weights).toBe('none');
      expect(config.augment).toBe(false);
    }
  });

  it('unfrozen layers: resnet50 with the last 15, 22 and 30 convolution layers trainable', () => {
    const runs = runsOf('unfrozen-layers');
    expect([...runs.values()].map((c) => [c.model.arch, c.model.trainable_layers])).toEqual([
      ['resnet50', 15], ['resnet50', 22], ['resnet50', 30],
    ]);
  });

  it('overfitting: augmentation, dropout 0.5, weight decay 3e-4 with complement weights, and all three', () => {
    const runs = runsOf('overfitting');
    expect([...runs.keys()]).toEqual(['baseline', 'augment', 'dropout', 'weight-decay', 'all-three']);
    expect(runs.get('baseline')).toMatchObject({ augment: false, model: { dropout: 0, trainable_layers: 15 }, optimizer: { weight_decay: 0 } });
    expect(runs.get('augment')!.augment).toEqual(AUGMENT);
    expect(runs.get('dropout')!.model.dropout).toBe(0.5);
    expect(runs.get('weight-decay')).toMatchObject({ optimizer: { type: 'adam', weight_decay: 3e-4 }, loss: { class_weights: 'complement' } });
    expect(runs.get('all-three')).toMatchObject({
      augment: AUGMENT, model: { dropout: 0.5 }, optimizer: { weight_decay: 3e-4 }, loss: { class_weights: 'complement' },
    });
  });

  it('optimizers: SGD, SGD momentum 0.9, Adam and AdamW, all lr 1e-3 and weight decay 3e-4', () => {
    const runs = runsOf('optimizers');
    expect(runs.get('sgd')!.optimizer).toEqual({ type: 'sgd', lr: 1e-3, momentum: 0, nesterov: false, weight_decay: 3e-4 });
    expect(runs.get('sgd-momentum')!.optimizer).toEqual({ type: 'sgd', lr: 1e-3, momentum: 0.9, nesterov: false, weight_decay: 3e-4 });
    expect(runs.get('adam')!.optimizer).toEqual({ type: 'adam', lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 3e-4 });
    expect(runs.get('adamw')!.optimizer).toEqual({ type: 'adamw', lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 3e-4 });
  });

  it('learning rates: 1e-2, 1e-3 and 1e-4 for 25 epochs', () => {
    const runs = [...runsOf('learning-rates').values()];
    expect(runs.map((c) => [c.optimizer.lr, c.epochs])).toEqual([[1e-2, 25], [1e-3, 25], [1e-4, 25]]);
  });

  it('schedules: StepLR from 1e-2 (5, 0.1), cosine 5e-3 to 1e-3 per epoch, fixed 5e-3', () => {
    const runs = runsOf('schedules');
    expect(runs.get('step')).toMatchObject({ optimizer: { lr: 1e-2 }, schedule: { type: 'step', step_size: 5, gamma: 0.1 } });
    expect(runs.get('cosine')!.schedule).toEqual({ type: 'cosine', start_lr: 5e-3, end_lr: 1e-3, cycle: 'epoch' });
    expect(runs.get('fixed')).toMatchObject({ optimizer: { lr: 5e-3 }, schedule: { type: 'constant' } });
  });

  it('final: resnet50, 15 layers, dropout 0.4, SGD 7e-3 momentum 0.9 wd 1e-3, StepLR 4/0.5, 15 epochs, against the initial model', () => {
    const runs = runsOf('final');
    expect(runs.get('final')).toMatchObject({
      model: { arch: 'resnet50', trainable_layers: 15, dropout: 0.4 },
      optimizer: { type: 'sgd', lr: 7e-3, momentum: 0.9, nesterov: false, weight_decay: 1e-3 },
      schedule: { type: 'step', step_size: 4, gamma: 0.5 },
      epochs: 15,
      select: 'val_accuracy',
    });
    const architectures = runsOf('architectures');
    expect(runs.get('initial')).toEqual(architectures.get('resnet50'));
  });

  it('points the whole study at another dataset by changing only the data root', () => {
    const other = planOf('specs/seed/fashion-mnist.yaml');
    expect(other.runs.length).toBe(plan.runs.length);
    for (const [index, run] of other.runs.entries()) {
      expect(run.config.data.root).toBe('../../data/fmnist-mini');
      expect({ ...run.config, data: { ...run.config.data, root: 'x', test: null } }).toEqual({
        ...plan.runs[index].config, data: { ...plan.runs[index].config.data, root: 'x', test: null },
      });
    }
  });
});
