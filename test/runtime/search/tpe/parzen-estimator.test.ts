import { describe, expect, it } from 'vitest';
import type { SearchParam } from '../../../../compiler/types/search.js';
import { Random } from '../../../../runtime/random.js';
import { observationWeights, parzenEstimator } from '../../../../runtime/search/tpe/parzen-estimator.js';
import { belowCount, splitObservations } from '../../../../runtime/search/tpe/split-observations.js';
import { normalMass } from '../../../../runtime/search/tpe/truncnorm.js';

describe('parzen estimators are distributions over the param', () => {
  it('a float density integrates to 1 over its interval, in log space for a log-scaled param', () => {
    const linear: SearchParam = { kind: 'float', label: 'x', short: 'x', path: ['x'], low: -2, high: 3, log: false };
    const log: SearchParam = { kind: 'float', label: 'lr', short: 'lr', path: ['lr'], low: 1e-4, high: 1, log: true };
    const integrate = (f: (x: number) => number, a: number, b: number) => {
      let sum = 0;
      for (let i = 0; i < 20000; i++) sum += f(a + ((i + 0.5) * (b - a)) / 20000);
      return (sum * (b - a)) / 20000;
    };
    const e = parzenEstimator(linear, [-1.9, 0.2, 0.3, 2.5]);
    expect(integrate((x) => Math.exp(e.logPdf(x)), -2, 3)).toBeCloseTo(1, 3);
    const l = parzenEstimator(log, [1e-3, 2e-3, 0.5]);
    expect(integrate((u) => Math.exp(l.logPdf(Math.exp(u))), Math.log(1e-4), 0)).toBeCloseTo(1, 3);
  });

  it('integer masses and category probabilities sum to 1, and samples stay in the space', () => {
    const int: SearchParam = { kind: 'int', label: 'n', short: 'n', path: ['n'], low: 3, high: 9 };
    const cat: SearchParam = { kind: 'categorical', label: 'c', short: 'c', choices: [0, 1, 2, 3].map((v) => ({ cell: v, nameText: String(v), assignments: [] })) };
    const i = parzenEstimator(int, [4, 4, 9]);
    const c = parzenEstimator(cat, [1, 1, 3]);
    expect([3, 4, 5, 6, 7, 8, 9].reduce((s, v) => s + Math.exp(i.logPdf(v)), 0)).toBeCloseTo(1, 6);
    expect([0, 1, 2, 3].reduce((s, v) => s + Math.exp(c.logPdf(v)), 0)).toBeCloseTo(1, 9);
    const random = new Random(1);
    for (let k = 0; k < 500; k++) {
      expect([3, 4, 5, 6, 7, 8, 9]).toContain(i.sample(random));
      expect([0, 1, 2, 3]).toContain(c.sample(random));
    }
    expect(Math.exp(c.logPdf(1))).toBeGreaterThan(Math.exp(c.logPdf(0)));
  });

  it('normal tail masses stay accurate far out', () => {
    expect(normalMass(-1, 1)).toBeCloseTo(0.682689492, 6);
    expect(normalMass(8, 9) / 6.21983198e-16).toBeCloseTo(1, 5); // Q(8) - Q(9)
  });
});

describe("Optuna's gamma, weights and split", () => {
  it('gamma is 10% rounded up, at most 25; weights ramp for observations older than the last 25', () => {
    expect([1, 10, 11, 100, 1000].map(belowCount)).toEqual([1, 1, 2, 10, 25]);
    expect(observationWeights(3)).toEqual([1, 1, 1]);
    const w = observationWeights(30);
    expect(w).toHaveLength(30);
    expect(w[0]).toBeCloseTo(1 / 30);
    expect(w.slice(4)).toEqual(Array.from({ length: 26 }, () => 1));
  });

  it('completed runs fill l(x) by value, stopped runs after them; pending runs are in g(x)', () => {
    const o = (run: string, state: 'completed' | 'stopped' | 'pending', value?: number, progress?: number) => ({ run, point: {}, state, value, progress });
    const observations = [o('a', 'completed', 0.5), o('b', 'stopped', 0.9, 2), o('c', 'completed', 0.7), o('d', 'pending'), ...Array.from({ length: 8 }, (_, i) => o(`s${i}`, 'stopped', 0.1, 1))];
    const { below, above } = splitObservations(observations, 'maximize');
    expect(below.map((x) => x.run)).toEqual(['a', 'c']); // 11 finished -> 2 below: both completed, though stopped b scored higher
    expect(above.map((x) => x.run)).toContain('d');
    const few = splitObservations([o('a', 'completed', 0.5), ...Array.from({ length: 12 }, (_, i) => o(`s${i}`, 'stopped', i / 10, i < 6 ? 1 : 2))], 'maximize');
    expect(few.below.map((x) => x.run)).toEqual(['a', 's11']); // then the deepest, best stopped run
  });
});
