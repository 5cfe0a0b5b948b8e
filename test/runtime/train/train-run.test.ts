import { afterEach, describe, expect, it } from 'vitest';
import * as tf from '../../../runtime/backend/tf.js';
import type { Network } from '../../../runtime/models/network.js';
import type { EpochMetrics } from '../../../runtime/results/records.js';
import { trainRun } from '../../../runtime/train/train-run.js';
import type { EpochEndEvent, TrainingState } from '../../../runtime/train/types.js';
import { createTinyNetwork } from '../../helpers/tiny-network.js';
import { generatedProblem, runConfig } from './fixtures-run.js';
import { useCpuBackend } from './support.js';

useCpuBackend();
const networks: Network[] = [];
afterEach(() => {
  for (const network of networks.splice(0)) network.dispose();
});

function tinyNetwork(dropout = 0.2): Network {
  const network = createTinyNetwork({ channels: 3, numClasses: 3, dropout, seed: 3 });
  networks.push(network);
  return network;
}

/** Metrics without wall-clock fields, for exact comparisons. */
function learned(history: readonly EpochMetrics[]) {
  return history.map(({ seconds: _s, images_per_second: _i, ...rest }) => rest);
}

function copyWeights(network: Network): Map<string, tf.Tensor> {
  return new Map([...network.parameters, ...network.buffers].map(([name, v]) => [name, tf.clone(v)]));
}

describe('trainRun', () => {
  it('trains a tiny network: falling training loss, above-chance validation accuracy', async () => {
    const problem = generatedProblem();
    const network = tinyNetwork();
    const batches: number[] = [];
    const outcome = await trainRun({
      config: runConfig({ epochs: 5 }),
      network,
      train: problem.train,
      validation: problem.validation,
      classWeights: null,
      hooks: { onBatchEnd: (event) => void batches.push(event.batch) },
      seed: 0,
    });
    expect(outcome.status).toBe('completed');
    const history = outcome.state.history;
    expect(history).toHaveLength(5);
    expect(history[4].train_loss).toBeLessThan(history[0].train_loss * 0.8);
    expect(Math.max(...history.map((m) => m.val_accuracy))).toBeGreaterThan(0.6); // chance is 1/3
    expect(batches).toEqual(Array.from({ length: 5 }, () => [1, 2, 3, 4, 5, 6]).flat());
    expect(outcome.state.step).toBe(30);
    for (const metrics of history) {
      expect(metrics.lr).toBe(0.05);
      expect(metrics.images_per_second).toBeGreaterThan(0);
    }
  });

  it('is deterministic and a run resumed after epoch 2 repeats the uninterrupted one', async () => {
    const problem = generatedProblem({ trainCount: 48 });
    const config = runConfig({
      epochs: 3,
      optimizer: { type: 'adamw', lr: 0.01, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0.01 },
      schedule: { type: 'cosine', start_lr: 0.02, end_lr: 0.002, cycle: 'run' },
      loss: { class_weights: 'complement', label_smoothing: 0.1 },
    });
    const classWeights = Float32Array.from([0.6, 0.7, 0.7]);
    const options = { config, train: problem.train, validation: problem.validation, classWeights, seed: 5 };

    const full = await trainRun({ ...options, network: tinyNetwork() });
    const again = await trainRun({ ...options, network: tinyNetwork() });
    expect(learned(again.state.history)).toEqual(learned(full.state.history));

    // First attempt: stop after epoch 2, keeping what a runner checkpoints at onEpochEnd.
    const controller = new AbortController();
    let saved: { state: TrainingState; weights: Map<string, tf.Tensor>; optimizer: Map<string, tf.Tensor>; best: Map<string, tf.Tensor> | null } | null = null;
    const first = tinyNetwork();
    const interrupted = await trainRun({
      ...options,
      network: first,
      signal: controller.signal,
      hooks: {
        onEpochEnd(event: EpochEndEvent) {
          const optimizer = new Map([...event.optimizerState].map(([key, t]) => [key, tf.clone(t)]));
          const weights = copyWeights(first);
          const best = event.improved ? copyWeights(first) : saved?.best ?? null;
          saved = { state: event.state, weights, optimizer, best };
          if (event.state.epochsCompleted === 2) controller.abort();
        },
      },
    });
    expect(interrupted.status).toBe('interrupted');
    expect(interrupted.state.epochsCompleted).toBe(2);
    const checkpoint = saved!;
    const second = tinyNetwork();
    for (const [name, tensor] of checkpoint.weights) (second.parameters.get(name) ?? second.buffers.get(name))!.assign(tensor);
    const resumed = await trainRun({
      ...options,
      network: second,
      resume: { state: checkpoint.state, optimizerState: checkpoint.optimizer, bestWeights: checkpoint.best ?? undefined },
    });
    expect(resumed.status).toBe('completed');
    expect(learned(resumed.state.history)).toEqual(learned(full.state.history));
    expect(resumed.state.step).toBe(full.state.step);
    tf.dispose([...checkpoint.weights.values(), ...checkpoint.optimizer.values(), ...(checkpoint.best?.values() ?? [])]);
  });

  it('abandons the current epoch when aborted mid-epoch and reports the last completed one', async () => {
    const problem = generatedProblem({ trainCount: 48 });
    const controller = new AbortController();
    const ends: number[] = [];
    const outcome = await trainRun({
      config: runConfig({ epochs: 3 }),
      network: tinyNetwork(),
      train: problem.train,
      validation: problem.validation,
      classWeights: null,
      signal: controller.signal,
      hooks: {
        onBatchEnd: (event) => void (event.epoch === 2 && event.batch === 2 && controller.abort()),
        onEpochEnd: (event) => void ends.push(event.metrics.epoch),
      },
      seed: 0,
    });
    expect(outcome.status).toBe('interrupted');
    expect(ends).toEqual([1]);
    expect(outcome.state.epochsCompleted).toBe(1);
    expect(outcome.state.history).toHaveLength(1);
    expect(outcome.state.step).toBe(3);
  });

  it('fails with NON_FINITE_LOSS at the diverging step and keeps the last good state', async () => {
    const problem = generatedProblem();
    const outcome = await trainRun({
      config: runConfig({ epochs: 3, optimizer: { type: 'sgd', lr: 1e6, momentum: 0.9, nesterov: false, weight_decay: 0 } }),
      network: tinyNetwork(0),
      train: problem.train,
      validation: problem.validation,
      classWeights: null,
      seed: 0,
    });
    expect(outcome.status).toBe('failed');
    if (outcome.status !== 'failed') return;
    expect(outcome.failure.code).toBe('NON_FINITE_LOSS');
    expect(outcome.failure.epoch).toBeGreaterThanOrEqual(1);
    expect(outcome.failure.step).toBeGreaterThan(outcome.state.step);
    expect(outcome.state.epochsCompleted).toBe(outcome.failure.epoch! - 1);
  });

  it('stops early and restores the kept epoch into the network', async () => {
    const problem = generatedProblem({ trainCount: 48 });
    const network = tinyNetwork();
    let keptLogits: Float32Array | null = null;
    const probe = tf.randomNormal([4, 8, 8, 3], 0, 1, 'float32', 9);
    const logitsNow = () => tf.tidy(() => network.forwardSuffix(probe, { training: false }).logits.dataSync() as Float32Array);
    const outcome = await trainRun({
      config: runConfig({ epochs: 12, select: 'val_loss', early_stopping: { monitor: 'val_loss', patience: 1 },
        optimizer: { type: 'sgd', lr: 0.5, momentum: 0.9, nesterov: true, weight_decay: 0 } }),
      network,
      train: problem.train,
      validation: problem.validation,
      classWeights: null,
      hooks: { onEpochEnd: (event) => void (event.improved && (keptLogits = logitsNow())) },
      seed: 1,
    });
    expect(outcome.status).toBe('completed');
    const { history, best } = outcome.state;
    const minLoss = Math.min(...history.map((m) => m.val_loss));
    expect(best).toEqual({ epoch: history.find((m) => m.val_loss === minLoss)!.epoch, value: minLoss });
    expect(history.length).toBeLessThan(12);
    expect(history.length).toBe(best!.epoch + 1);
    expect(Array.from(logitsNow())).toEqual(Array.from(keptLogits!));
    probe.dispose();
  });

  it('does not grow tf.memory().numTensors across batches and epochs', async () => {
    const problem = generatedProblem({ trainCount: 48 });
    const network = tinyNetwork();
    const config = runConfig({ epochs: 4, optimizer: { type: 'adam', lr: 0.01, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 1e-4 } });
    const counts: number[][] = [];
    const before = tf.memory().numTensors;
    await trainRun({
      config, network, train: problem.train, validation: problem.validation, classWeights: Float32Array.from([1, 2, 1]), seed: 0,
      hooks: {
        onEpochBegin: () => void counts.push([]),
        onBatchEnd: () => void counts[counts.length - 1].push(tf.memory().numTensors),
      },
    });
    // Epoch 1 creates the optimizer's slots and, at its end, the kept-weights copy; from epoch 2 on nothing accumulates.
    const steady = counts.slice(1).flat();
    expect(steady).toHaveLength(9);
    expect(new Set(steady).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
  });
});
