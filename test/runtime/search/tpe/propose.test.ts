import { describe, expect, it } from 'vitest';
import { resolvePoint } from '../../../../compiler/search/resolve-point.js';
import type { SearchParam, SearchPoint } from '../../../../compiler/types/search.js';
import { proposeTpe, type ProposeInput } from '../../../../runtime/search/tpe/propose.js';
import type { Observation } from '../../../../runtime/search/tpe/split-observations.js';
import { fakeConfig } from '../../runner/fixtures/plan.js';
import { evaluationsToRegret, runSearch, type Problem } from './harness.js';

// Costs ~3 s: 20 seeds x 3 problems x up to 100 proposals, no training.
const LR: SearchParam = { kind: 'float', label: 'optimizer.lr', short: 'lr', path: ['optimizer', 'lr'], low: 1e-5, high: 1, log: true };

/** A shifted quadratic in log10(lr), minimum 0 at lr = 10^-2.5. */
const quadratic: Problem = { params: [LR], f: (p) => (Math.log10(p['optimizer.lr']) + 2.5) ** 2 };

/** Branin on [-5, 10] x [0, 15]: three global minima of 0.397887. */
const branin: Problem = {
  params: [
    { kind: 'float', label: 'x1', short: 'x1', path: ['x1'], low: -5, high: 10, log: false },
    { kind: 'float', label: 'x2', short: 'x2', path: ['x2'], low: 0, high: 15, log: false },
  ],
  f: ({ x1, x2 }) => (x2 - (5.1 / (4 * Math.PI ** 2)) * x1 ** 2 + (5 / Math.PI) * x1 - 6) ** 2 + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x1) + 10,
};

/** sgd with a momentum that only sgd has, or adam; the optimum is sgd at lr 1e-2, momentum 0.9. Resolved as the runner resolves proposals. */
const conditionalParams: SearchParam[] = [
  {
    kind: 'categorical', label: 'optimizer', short: 'optimizer',
    choices: ['sgd', 'adam'].map((type) => ({ cell: type, nameText: type, assignments: [{ path: ['optimizer', 'type'], value: type }] })),
  },
  LR,
  { kind: 'float', label: 'optimizer.momentum', short: 'momentum', path: ['optimizer', 'momentum'], low: 0, high: 0.99, log: false },
];
const conditional: Problem = {
  params: conditionalParams,
  active: (point) => resolvePoint({ base: fakeConfig(), params: conditionalParams }, point).point,
  f: (p) =>
    p.optimizer === 0
      ? (Math.log10(p['optimizer.lr']) + 2) ** 2 + 4 * (p['optimizer.momentum'] - 0.9) ** 2
      : (Math.log10(p['optimizer.lr']) + 3) ** 2 + 0.5,
};

function meanEvaluations(problem: Problem, method: 'tpe' | 'random', optimum: number, regret: number, budget: number): number {
  let total = 0;
  for (let seed = 0; seed < 20; seed++) total += evaluationsToRegret(runSearch(problem, method, { seed, budget, startup: 10 }), optimum, regret);
  return total / 20;
}

describe('proposeTpe on known functions', () => {
  it.each([
    ['shifted quadratic in log-lr', quadratic, 0, 0.001, 100],
    ['Branin', branin, 0.397887, 0.5, 100],
    ['sgd-or-adam with a conditional momentum', conditional, 0, 0.05, 100],
  ] as const)('%s: fewer evaluations than random search to the regret, on average over 20 seeds', (_, problem, optimum, regret, budget) => {
    const tpe = meanEvaluations(problem, 'tpe', optimum, regret, budget);
    const random = meanEvaluations(problem, 'random', optimum, regret, budget);
    expect(tpe).toBeLessThan(random);
  });

  it('is deterministic for a fixed seed and history, and the seed matters', () => {
    expect(runSearch(branin, 'tpe', { seed: 3, budget: 30, startup: 10 })).toEqual(runSearch(branin, 'tpe', { seed: 3, budget: 30, startup: 10 }));
    expect(runSearch(branin, 'tpe', { seed: 3, budget: 30, startup: 10 })).not.toEqual(runSearch(branin, 'tpe', { seed: 4, budget: 30, startup: 10 }));
  });

  it('the first proposals after startup are random draws until enough runs have finished', () => {
    const input = inputWith(branin.params, history(branin, 5), { finished: 5, startup: 10 });
    expect(proposeTpe(input).mode).toBe('random');
    expect(proposeTpe({ ...input, finished: 10 }).mode).toBe('tpe');
  });
});

describe('proposeTpe respects the space', () => {
  const params: SearchParam[] = [
    LR,
    { kind: 'int', label: 'data.batch_size', short: 'batch_size', path: ['data', 'batch_size'], low: 8, high: 12 },
    { kind: 'categorical', label: 'model.arch', short: 'arch', choices: ['a', 'b', 'c'].map((c) => ({ cell: c, nameText: c, assignments: [{ path: ['model', 'arch'], value: c }] })) },
    { kind: 'float', label: 'model.dropout', short: 'dropout', path: ['model', 'dropout'], low: 0.1, high: 0.2, log: false },
  ];
  const f = (p: SearchPoint) => (Math.log10(p['optimizer.lr']) + 4) ** 2 + (p['data.batch_size'] - 11) ** 2 + (p['model.arch'] === 2 ? 0 : 1) + p['model.dropout'];

  it('stays within bounds, draws integers and choice indices, and concentrates near the optimum in log space', () => {
    const observations: Observation[] = history({ params, f }, 10);
    for (let slot = 10; slot < 60; slot++) {
      const { point } = proposeTpe(inputWith(params, observations, { slot }));
      expect(point['optimizer.lr']).toBeGreaterThanOrEqual(1e-5);
      expect(point['optimizer.lr']).toBeLessThanOrEqual(1);
      expect(Number.isInteger(point['data.batch_size']) && point['data.batch_size'] >= 8 && point['data.batch_size'] <= 12).toBe(true);
      expect([0, 1, 2]).toContain(point['model.arch']);
      expect(point['model.dropout']).toBeGreaterThanOrEqual(0.1);
      expect(point['model.dropout']).toBeLessThanOrEqual(0.2);
      observations.push({ run: `r${slot}`, point, state: 'completed', value: f(point) });
    }
    const late = observations.slice(-20);
    const logLr = late.map((o) => Math.log10(o.point['optimizer.lr'])).sort((a, b) => a - b);
    expect(Math.abs(logLr[10] - -4)).toBeLessThan(1); // median within a decade of 1e-4: modelled in log space
    expect(late.filter((o) => o.point['model.arch'] === 2).length).toBeGreaterThan(10);
    expect(late.filter((o) => o.point['data.batch_size'] === 11).length).toBeGreaterThan(5);
  });

  it('a conditional param is modelled from the runs where it applied', () => {
    const values = runSearch(conditional, 'tpe', { seed: 1, budget: 40, startup: 10 });
    expect(values.every(Number.isFinite)).toBe(true); // adam runs have no momentum, and nothing reads one
    const adam = resolvePoint({ base: fakeConfig(), params: conditionalParams }, { optimizer: 1, 'optimizer.lr': 0.01, 'optimizer.momentum': 0.5 });
    expect(adam.point).toEqual({ optimizer: 1, 'optimizer.lr': 0.01 });
    expect(adam.config.optimizer).not.toHaveProperty('momentum');
    expect(adam.cells['optimizer.momentum']).toBeNull();
  });

  it('a pending run counts as a bad result (constant liar): the same slot proposes elsewhere', () => {
    const observations = history({ params, f }, 15);
    const first = proposeTpe(inputWith(params, observations, { slot: 15 }));
    const liar = proposeTpe(inputWith(params, [...observations, { run: 'p', point: first.point, state: 'pending' }], { slot: 15 }));
    expect(liar.point).not.toEqual(first.point);
    expect(liar.pending).toEqual(['p']);
    expect(liar.above).toContain('p');
  });

  it('takes no point the caller refuses (a tried run, a combination the run rules refuse)', () => {
    const observations = history({ params, f }, 15);
    const refused = proposeTpe(inputWith(params, observations, { slot: 15, accept: (p) => p['model.arch'] !== 2 }));
    expect(refused.point['model.arch']).not.toBe(2);
  });
});

function history(problem: Problem, n: number): Observation[] {
  return runSearch(problem, 'random', { seed: 9, budget: n, startup: n }).map((value, i) => ({
    run: `r${i}`, point: pointsOf(problem, n)[i], state: 'completed', value,
  }));
}

function pointsOf(problem: Problem, n: number): SearchPoint[] {
  const points: SearchPoint[] = [];
  runSearch({ ...problem, f: (p) => (points.push(p), 0) }, 'random', { seed: 9, budget: n, startup: n });
  return points;
}

function inputWith(params: readonly SearchParam[], observations: readonly Observation[], extra: Partial<ProposeInput> = {}): ProposeInput {
  return {
    params, direction: 'minimize', candidates: 24, startup: 10, seed: 0, slot: observations.length,
    observations, finished: observations.filter((o) => o.state !== 'pending').length, ...extra,
  };
}
