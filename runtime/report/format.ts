/** Number formatting shared by the HTML helpers and the Markdown renderer (presentation only). */
import type { Aggregate, AxisValue } from './report-model.js';

const DASH = '–';

export function formatPercent(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined ? DASH : `${(value * 100).toFixed(digits)}%`;
}

export function formatNumber(value: number | null | undefined, digits = 3): string {
  return value === null || value === undefined ? DASH : value.toFixed(digits);
}

export function formatInteger(value: number | null | undefined): string {
  return value === null || value === undefined ? DASH : String(Math.round(value));
}

/** `83.5% ± 7.8%`, or `83.5%` with one seed. */
export function formatAggregate(value: Aggregate | null, kind: 'percent' | 'number' | 'count' | 'seconds'): string {
  if (!value) return DASH;
  const one = (x: number) =>
    kind === 'percent'
      ? formatPercent(x)
      : kind === 'seconds'
        ? formatSeconds(x)
        : kind === 'count'
          ? (Math.round(x * 10) / 10).toString()
          : formatNumber(x, 3);
  return value.std === null ? one(value.mean) : `${one(value.mean)} ± ${one(value.std)}`;
}

/** `45.2 s`, `12 min 5 s`, `3 h 20 min`. */
export function formatSeconds(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return DASH;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const s = Math.round(seconds);
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

export function formatAxisValue(value: AxisValue | undefined): string {
  return value === null || value === undefined ? DASH : String(value);
}

export function formatStatusCounts(counts: Readonly<Partial<Record<string, number>>>): string {
  return Object.entries(counts)
    .map(([status, n]) => `${n} ${status}`)
    .join(', ');
}
