import { describe, expect, test } from 'vitest';
import { prefetch } from '../../../runtime/data/prefetch.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('prefetch', () => {
  test('yields in order and never holds more than depth + 1 prepared items', async () => {
    let started = 0;
    let consumed = 0;
    let maxAhead = 0;
    const out: number[] = [];
    for await (const value of prefetch(10, 2, async (i) => {
      started++;
      maxAhead = Math.max(maxAhead, started - consumed);
      await tick();
      return i * 10;
    })) {
      consumed++;
      out.push(value);
      await tick();
    }
    expect(out).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
    expect(maxAhead).toBeLessThanOrEqual(3);
  });

  test('a failure surfaces at its own item, after the items before it', async () => {
    const out: number[] = [];
    const run = async () => {
      for await (const value of prefetch(5, 2, async (i) => {
        await tick();
        if (i === 3) throw new Error('bad item 3');
        return i;
      })) out.push(value);
    };
    await expect(run()).rejects.toThrow('bad item 3');
    expect(out).toEqual([0, 1, 2]);
  });

  test('stopping early starts nothing more', async () => {
    let started = 0;
    for await (const value of prefetch(100, 2, async (i) => {
      started++;
      return i;
    })) {
      if (value === 1) break;
    }
    await tick();
    expect(started).toBeLessThanOrEqual(4);
  });
});
