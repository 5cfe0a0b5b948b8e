/**
 * `--shard I/N`: runner I of N takes the runs at plan positions i with
 * i mod N = I - 1. Plan order is stable for a spec, so every machine given the
 * same spec computes the same partition without talking to the others.
 */
export interface Shard {
  /** 1-based. */
  readonly index: number;
  readonly count: number;
}

export function parseShard(text: string): Shard | null {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!match) return null;
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1 || index < 1 || index > count) return null;
  return { index, count };
}

export function inShard<T>(items: readonly T[], shard: Shard | undefined): T[] {
  if (!shard) return items.slice();
  return items.filter((_, position) => position % shard.count === shard.index - 1);
}
