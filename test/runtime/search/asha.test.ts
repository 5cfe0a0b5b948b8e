import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ashaRungs, decideAtRung, percentile, type AshaMetric, type AshaRule } from '../../../runtime/search/asha.js';

const rule = (metric: AshaMetric, reduction_factor: number, min_epochs = 1): AshaRule => ({ type: 'asha', metric, min_epochs, reduction_factor });

describe('ashaRungs', () => {
  it('places rungs at min_epochs * factor^k strictly below the run epochs', () => {
    expect(ashaRungs(rule('val_accuracy', 3), 9)).toEqual([1, 3]);
    expect(ashaRungs(rule('val_accuracy', 3), 10)).toEqual([1, 3, 9]);
    expect(ashaRungs(rule('val_accuracy', 2), 8)).toEqual([1, 2, 4]);
    expect(ashaRungs(rule('val_accuracy', 3, 2), 25)).toEqual([2, 6, 18]);
    expect(ashaRungs(rule('val_accuracy', 4, 1), 20)).toEqual([1, 4, 16]);
  });

  it('has no rung when min_epochs reaches the run epochs', () => {
    expect(ashaRungs(rule('val_accuracy', 3, 5), 5)).toEqual([]);
    expect(ashaRungs(rule('val_accuracy', 3, 7), 5)).toEqual([]);
  });
});

describe('percentile', () => {
  it('interpolates linearly between the closest ranks, as numpy.percentile', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([4, 1, 3, 2], 0)).toBe(1);
    expect(percentile([4, 1, 3, 2], 100)).toBe(4);
    // (1 - 1/3) * 100 over 5 values: index 4 * 2/3 = 2.667, 30 + 0.667 * 10
    expect(percentile([10, 20, 30, 40, 50], (1 - 1 / 3) * 100)).toBeCloseTo(36.6667, 4);
    expect(percentile([7], 66)).toBe(7);
  });
});

describe('decideAtRung, hand-computed', () => {
  it('lets the first run at a rung continue (nothing to compare with)', () => {
    expect(decideAtRung(rule('val_accuracy', 3), 1, 0.1, [])).toEqual({
      action: 'continue', rung: 1, metric: 'val_accuracy', value: 0.1, cutoff: null, count: 0,
    });
  });

  it('with one earlier run, the cutoff is its value: better or equal continues, worse stops', () => {
    expect(decideAtRung(rule('val_accuracy', 3), 1, 0.5, [0.5]).action).toBe('continue');
    expect(decideAtRung(rule('val_accuracy', 3), 1, 0.49, [0.5])).toMatchObject({ action: 'stop', cutoff: 0.5, count: 1 });
  });

  it('keeps the top third for reduction factor 3 (accuracy: higher is better)', () => {
    // others 0.2 0.4 0.6 0.8: index 3 * 2/3 = 2 -> cutoff 0.6
    const others = [0.8, 0.2, 0.6, 0.4];
    expect(decideAtRung(rule('val_accuracy', 3), 3, 0.6, others)).toMatchObject({ action: 'continue', cutoff: 0.6, count: 4 });
    expect(decideAtRung(rule('val_accuracy', 3), 3, 0.59, others)).toMatchObject({ action: 'stop', cutoff: 0.6, count: 4 });
  });

  it('ranks val_loss lower-is-better: the cutoff is the 1/factor quantile of the losses', () => {
    // losses 1 2 3 4, factor 2: negated -4 -3 -2 -1, 50th percentile -2.5 -> cutoff 2.5
    const others = [1, 2, 3, 4];
    expect(decideAtRung(rule('val_loss', 2), 2, 2.5, others)).toMatchObject({ action: 'continue', cutoff: 2.5 });
    expect(decideAtRung(rule('val_loss', 2), 2, 2.6, others)).toMatchObject({ action: 'stop', cutoff: 2.5 });
    expect(decideAtRung(rule('val_loss', 2), 2, 0.1, others).action).toBe('continue');
  });

  it('leaves NaN values of other runs out of the cutoff and counts only finite ones', () => {
    expect(decideAtRung(rule('val_accuracy', 2), 1, 0.5, [Number.NaN, 0.25, 0.75])).toMatchObject({ action: 'continue', cutoff: 0.5, count: 2 });
    expect(decideAtRung(rule('val_accuracy', 2), 1, 0.3, [Number.NaN])).toMatchObject({ action: 'continue', cutoff: null, count: 0 });
  });

  it('stops a run whose own value is NaN, even as the first at its rung', () => {
    expect(decideAtRung(rule('val_loss', 3), 1, Number.NaN, []).action).toBe('stop');
    expect(decideAtRung(rule('val_accuracy', 3), 1, Number.NaN, [0.1]).action).toBe('stop');
  });
});

interface RayFixture {
  readonly metric: AshaMetric;
  readonly min_epochs: number;
  readonly reduction_factor: number;
  readonly epochs: number;
  readonly events: readonly { trial: string; epoch: number; value: number; ray: 'CONTINUE' | 'STOP'; cutoff: number | null }[];
}

const FIXTURES = join(import.meta.dirname, 'fixtures');

describe("decideAtRung against Ray Tune's ASHAScheduler (tools/asha-ray-reference.py)", () => {
  const files = readdirSync(FIXTURES).filter((file) => file.startsWith('ray-asha-'));
  it('has the fixtures', () => expect(files.length).toBeGreaterThanOrEqual(4));

  for (const file of files) {
    it(`takes Ray's decision on every result of ${file}`, () => {
      const fixture = JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as RayFixture;
      const asha = rule(fixture.metric, fixture.reduction_factor, fixture.min_epochs);
      // The results store as the replay goes: trial -> epoch -> value, each written before its decision.
      const store = new Map<string, Map<number, number>>();
      let stops = 0;
      for (const event of fixture.events) {
        const mine = store.get(event.trial) ?? new Map<number, number>();
        store.set(event.trial, mine.set(event.epoch, event.value));
        let ours: 'CONTINUE' | 'STOP';
        if (event.epoch >= fixture.epochs) ours = 'STOP'; // trained to the end
        else if (ashaRungs(asha, fixture.epochs).includes(event.epoch)) {
          const others = [...store].filter(([trial]) => trial !== event.trial).flatMap(([, epochs]) => (epochs.has(event.epoch) ? [epochs.get(event.epoch)!] : []));
          const decision = decideAtRung(asha, event.epoch, event.value, others);
          if (event.cutoff === null) expect(decision.cutoff).toBeNull();
          else expect(decision.cutoff).toBeCloseTo(event.cutoff, 12);
          ours = decision.action === 'stop' ? 'STOP' : 'CONTINUE';
          if (ours === 'STOP') stops++;
        } else ours = 'CONTINUE';
        expect({ ...event, ours }).toEqual({ ...event, ours: event.ray });
      }
      expect(stops).toBeGreaterThan(5);
    });
  }
});
