import { describe, expect, it } from 'vitest';
import { inShard, parseShard } from '../../../runtime/runner/shard.js';

describe('shard', () => {
  it('parses I/N with 1 <= I <= N', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(parseShard('0/4')).toBeNull();
    expect(parseShard('5/4')).toBeNull();
    expect(parseShard('1-4')).toBeNull();
  });

  it('partitions plan order round-robin, each item in exactly one shard', () => {
    const items = Array.from({ length: 10 }, (_, i) => i);
    const shards = [1, 2, 3].map((index) => inShard(items, { index, count: 3 }));
    expect(shards).toEqual([[0, 3, 6, 9], [1, 4, 7], [2, 5, 8]]);
    expect(shards.flat().sort((a, b) => a - b)).toEqual(items);
  });
});
