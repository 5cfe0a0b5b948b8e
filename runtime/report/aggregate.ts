import type { Aggregate } from './report-model.js';

/** Mean and sample standard deviation (n - 1, as pandas) of the non-null values; null when there are none. */
export function aggregate(values: readonly (number | null)[]): Aggregate | null {
  const present = values.filter((value): value is number => value !== null && Number.isFinite(value));
  const n = present.length;
  if (n === 0) return null;
  const mean = present.reduce((sum, value) => sum + value, 0) / n;
  if (n < 2) return { mean, std: null, n };
  const variance = present.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (n - 1);
  return { mean, std: Math.sqrt(variance), n };
}
