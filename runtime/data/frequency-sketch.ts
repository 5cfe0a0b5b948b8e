/**
 * How often each cache key was asked for, approximately and in fixed memory
 * (a count-min sketch: 4 rows of 8-bit counters, the estimate is the smallest
 * of a key's 4 counters), with ageing: every `sampleSize` recordings all
 * counters halve, so keys nobody asks for any more fade out. TieredCache uses
 * it to admit a new entry only when it is asked for more often than the one it
 * would evict (TinyLFU's admission rule): a dataset larger than the memory
 * budget, read in a new order every epoch, then keeps a stable part of itself
 * in memory instead of evicting every entry before its next use (which is what
 * plain LRU does with a cyclic scan).
 */
const ROWS = 4;
const WIDTH_BITS = 16;
const WIDTH = 1 << WIDTH_BITS;

export class FrequencySketch {
  private readonly counters = new Uint8Array(ROWS * WIDTH);
  private recorded = 0;

  constructor(private readonly sampleSize: () => number) {}

  record(key: string): void {
    for (let row = 0; row < ROWS; row++) {
      const at = row * WIDTH + slot(key, row);
      if (this.counters[at] < 255) this.counters[at]++;
    }
    if (++this.recorded >= this.sampleSize()) this.age();
  }

  estimate(key: string): number {
    let least = 255;
    for (let row = 0; row < ROWS; row++) least = Math.min(least, this.counters[row * WIDTH + slot(key, row)]);
    return least;
  }

  private age(): void {
    this.recorded = 0;
    for (let i = 0; i < this.counters.length; i++) this.counters[i] >>= 1;
  }
}

/** Row `row`'s counter index: FNV-1a of the key, seeded per row, then mixed. */
function slot(key: string, row: number): number {
  let hash = 0x811c9dc5 ^ Math.imul(row + 1, 0x9e3779b9);
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  return ((hash ^ (hash >>> 13)) >>> 0) & (WIDTH - 1);
}
