/**
 * Child of conv-gradient-check.ts (its environment sets oneDNN on or off):
 * times a resnet18 64 px batch-32 training step, the case where kernel
 * choice and per-call overhead decide most, with each combination of
 * native and composed convolution gradients, alternating combinations
 * step by step so that machine drift hits all of them alike, and prints
 * the median seconds per combination as JSON.
 */
import { buildNetwork } from '../models/build-network.js';
import { createOptimizer } from '../train/index.js';
import { trainStep } from '../train/train-step.js';
import { setConvGradientPaths, type ConvGradientPaths, type GradientKernel } from './conv-gradient-paths.js';
import { loadNativeBackend } from './native-backend.js';
import * as tf from './tf.js';

const ROUNDS = Number(process.env.SWEEPSPEC_CONV_CHECK_ROUNDS ?? 5);
const KERNELS: readonly GradientKernel[] = ['composed', 'native'];
const COMBINATIONS: ConvGradientPaths[] = KERNELS.flatMap((input) => KERNELS.map((filter) => ({ input, filter })));

await loadNativeBackend('tensorflow');
const network = buildNetwork({ arch: 'resnet18', numClasses: 10, trainableLayers: 'all', dropout: 0, seed: 1 });
const optimizer = createOptimizer({ type: 'sgd', lr: 0.001, momentum: 0, nesterov: false, weight_decay: 0 });
const inputs = tf.randomNormal([32, 64, 64, 3], 0, 1, 'float32', 1);
const labels = Int32Array.from({ length: 32 }, (_, i) => i % 10);
const step = (paths: ConvGradientPaths): number => {
  setConvGradientPaths(paths);
  const start = performance.now();
  trainStep({ network, optimizer, batch: { inputs, labels, samples: [] }, lr: 0.001, classWeights: null, labelSmoothing: 0, dropoutSeed: 0 });
  return (performance.now() - start) / 1000;
};
for (const paths of COMBINATIONS) for (let i = 0; i < 2; i++) step(paths);
const times = COMBINATIONS.map(() => [] as number[]);
for (let round = 0; round < ROUNDS; round++) COMBINATIONS.forEach((paths, i) => times[i].push(step(paths)));
const median = (values: number[]): number => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
const result = Object.fromEntries(COMBINATIONS.map((paths, i) => [`${paths.input}/${paths.filter}`, median(times[i])]));
process.stdout.write(`${JSON.stringify(result)}\n`);
