import { describe, expect, it } from 'vitest';
import type { OptimizerConfig } from '../../../compiler/types/run-config.js';
import * as tf from '../../../runtime/backend/tf.js';
import { crossEntropy } from '../../../runtime/train/loss.js';
import { createOptimizer } from '../../../runtime/train/optimizers/create-optimizer.js';
import { expectClose, flat, readFixture, useCpuBackend } from './support.js';

type Params = Record<'fc.weight' | 'fc.bias', number[] | number[][]>;
interface Trajectory {
  steps: (Params & { lr: number; loss: number | null })[];
  final_state: Record<string, number[] | number[][]>;
}
interface Fixture {
  initial: Params;
  x: number[][];
  y: number[];
  fixed_grads: Params[];
  cases: { config: OptimizerConfig; fixed: Trajectory; model: Trajectory }[];
}

const fixture = readFixture<Fixture>('optimizers.json');
const NAMES = ['fc.weight', 'fc.bias'] as const;
/**
 * Relative 1e-5, with an absolute floor for elements that cancel to near zero:
 * torch's CPU kernels fuse `a + alpha * b` (FMA), so float32 rounding differs
 * by ~1e-8 on values of order 1.
 */
const ABS = 1e-7;
useCpuBackend();

function makeParams(): Map<string, tf.Variable> {
  return new Map(NAMES.map((name) => [name, tf.tidy(() => tf.variable(tf.tensor(fixture.initial[name])))]));
}

function gradients(source: 'fixed' | 'model', step: number, params: Map<string, tf.Variable>): { grads: Record<string, tf.Tensor>; loss: number | null } {
  if (source === 'fixed') {
    return { grads: Object.fromEntries(NAMES.map((name) => [name, tf.tensor(fixture.fixed_grads[step][name])])), loss: null };
  }
  const x = tf.tensor2d(fixture.x);
  const y = tf.tensor1d(fixture.y, 'int32');
  const w = params.get('fc.weight')!;
  const b = params.get('fc.bias')!;
  const { value, grads } = tf.variableGrads(() => crossEntropy(tf.add(tf.matMul(x, w), b) as tf.Tensor2D, y, null, 0), [w, b]);
  const loss = value.dataSync()[0];
  tf.dispose([x, y, value]);
  return { grads: { 'fc.weight': grads[w.name], 'fc.bias': grads[b.name] }, loss };
}

function describeConfig(config: OptimizerConfig): string {
  const extra = config.type === 'sgd' ? `momentum=${config.momentum} nesterov=${config.nesterov}` : `betas=${config.betas} eps=${config.eps}`;
  return `${config.type} lr=${config.lr} wd=${config.weight_decay} ${extra}`;
}

describe('optimizers reproduce torch.optim trajectories', () => {
  for (const { config, fixed, model } of fixture.cases) {
    for (const [source, trajectory] of [['fixed', fixed], ['model', model]] as const) {
      it(`${describeConfig(config)}, ${source} gradients`, () => {
        const params = makeParams();
        let optimizer = createOptimizer(config);
        trajectory.steps.forEach((expected, step) => {
          if (step === 2) {
            // Resume mid-trajectory: a fresh optimizer restored from getState continues identically.
            const restored = createOptimizer(config);
            restored.setState(optimizer.getState(), optimizer.step);
            optimizer.dispose();
            optimizer = restored;
          }
          const { grads, loss } = gradients(source, step, params);
          optimizer.apply({ params, grads, lr: expected.lr });
          tf.dispose(Object.values(grads));
          if (expected.loss !== null) expect(loss).toBeCloseTo(expected.loss, 5);
          for (const name of NAMES) {
            expectClose(params.get(name)!.dataSync(), flat(expected[name]), 1e-5, ABS, `step ${step + 1} ${name}`);
          }
        });
        const state = optimizer.getState();
        expect([...state.keys()].sort()).toEqual(Object.keys(trajectory.final_state).sort());
        for (const [key, values] of Object.entries(trajectory.final_state)) {
          expectClose(state.get(key)!.dataSync(), flat(values), 1e-5, ABS, key);
        }
        expect(optimizer.step).toBe(trajectory.steps.length);
        optimizer.dispose();
        for (const variable of params.values()) variable.dispose();
      });
    }
  }

  it('disposes every slot tensor it created', () => {
    const before = tf.memory().numTensors;
    const params = makeParams();
    const optimizer = createOptimizer({ type: 'adamw', lr: 0.01, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0.01 });
    for (let step = 0; step < 3; step++) {
      const { grads } = gradients('fixed', step, params);
      optimizer.apply({ params, grads, lr: 0.01 });
      tf.dispose(Object.values(grads));
    }
    optimizer.dispose();
    for (const variable of params.values()) variable.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
