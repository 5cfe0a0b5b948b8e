/**
 * Registers the training kernels tfjs-backend-wasm lacks or gets wrong:
 * Conv2DBackpropFilter (missing), Conv2DBackpropInput (a scalar loop, replaced
 * by a composition of XNNPACK convolutions), MaxPoolGrad (wrong for windows
 * whose max is <= 0). Idempotent.
 */
import type { KernelConfig } from '@tensorflow/tfjs-core';
import * as tf from '../tf.js';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter.js';
import { conv2DBackpropInputConfig } from './conv2d-backprop-input.js';
import { maxPoolGradConfig } from './max-pool-grad.js';

const KERNELS: readonly KernelConfig[] = [conv2DBackpropFilterConfig, conv2DBackpropInputConfig, maxPoolGradConfig];

export function registerWasmTrainingKernels(): void {
  for (const config of KERNELS) {
    const existing = tf.getKernel(config.kernelName, 'wasm');
    if (existing?.kernelFunc === config.kernelFunc) continue;
    if (existing) tf.unregisterKernel(config.kernelName, 'wasm');
    tf.registerKernel(config);
  }
}
