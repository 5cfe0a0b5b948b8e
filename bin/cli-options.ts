import { InvalidArgumentError } from 'commander';

/** `--max-runs N`: a positive integer. */
export function parseMaxRuns(value: string): number {
  const n = Number(value);
  if (!/^[0-9]+$/.test(value) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}
