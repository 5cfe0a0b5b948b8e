/**
 * Tensor-leak checks (style habit 11): run a piece of work and fail when it
 * leaves more live tensors than it found.
 */
import * as tf from '../../runtime/backend/tf.js';

export class TensorLeakError extends Error {
  override readonly name = 'TensorLeakError';
}

/** Runs `work` and throws TensorLeakError when tf.memory().numTensors grew by more than `allowed`. */
export async function expectNoTensorLeaks<T>(work: () => T | Promise<T>, options: { allowed?: number; label?: string } = {}): Promise<T> {
  const before = tf.memory().numTensors;
  const result = await work();
  const grown = tf.memory().numTensors - before;
  if (grown > (options.allowed ?? 0)) {
    throw new TensorLeakError(`${options.label ?? 'work'} leaked ${grown} tensor${grown === 1 ? '' : 's'} (${before} -> ${before + grown})`);
  }
  return result;
}
