import '@tensorflow/tfjs-backend-cpu';
import { readFileSync } from 'node:fs';
import { beforeAll, expect } from 'vitest';
import * as tf from '../../../runtime/backend/tf.js';

/**
 * Unit tests run on tfjs' cpu backend (exact, available everywhere);
 * SWEEPSPEC_TEST_BACKEND=wasm (or another name) runs them on that backend instead.
 */
export function useCpuBackend(): void {
  beforeAll(async () => {
    const wanted = process.env.SWEEPSPEC_TEST_BACKEND;
    if (wanted !== undefined && wanted !== 'cpu') {
      const { selectBackend } = await import('../../../runtime/backend/select-backend.js');
      await selectBackend(wanted as Parameters<typeof selectBackend>[0]);
    } else {
      await tf.setBackend('cpu');
    }
    await tf.ready();
  });
}

export function readFixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as T;
}

/** Element-wise |actual - expected| <= rel * |expected| + abs, reporting the worst element. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rel = 1e-5, abs = 0, label = ''): void {
  expect(actual.length, `${label} length`).toBe(expected.length);
  let worst = -Infinity;
  let at = -1;
  for (let i = 0; i < expected.length; i++) {
    const excess = Math.abs(actual[i] - expected[i]) - (rel * Math.abs(expected[i]) + abs);
    if (!(excess <= worst)) {
      worst = excess;
      at = i;
    }
  }
  if (expected.length > 0 && !(worst <= 0)) {
    expect.fail(`${label}: element ${at} is ${actual[at]}, expected ${expected[at]} (rel ${rel}, abs ${abs})`);
  }
}

export function flat(values: unknown): number[] {
  return (Array.isArray(values) ? values.flat(Infinity) : [values]) as number[];
}
