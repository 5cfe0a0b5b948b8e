import { describe, expect, it } from 'vitest';
import { epochLearningRates, learningRate, type ScheduleInput } from '../../../runtime/train/learning-rate.js';
import { expectClose, readFixture } from './support.js';

interface Fixture {
  cases: { config: ScheduleInput; steps_per_epoch: number; lrs: number[] }[];
}
const fixture = readFixture<Fixture>('schedules.json');

describe('learningRate reproduces torch StepLR and ignite CosineAnnealingScheduler', () => {
  for (const { config, steps_per_epoch: stepsPerEpoch, lrs } of fixture.cases) {
    const schedule = config.schedule;
    const label = schedule.type === 'cosine' ? `cosine ${schedule.start_lr}->${schedule.end_lr} cycle ${schedule.cycle}` : JSON.stringify(schedule);
    it(`${label}, ${config.epochs} epochs x ${stepsPerEpoch} steps`, () => {
      const actual = lrs.map((_, step) => learningRate(step, stepsPerEpoch, config));
      expectClose(actual, lrs, 1e-12, 0, label);
    });
  }
});

describe('learningRate', () => {
  const sgd = { type: 'sgd', lr: 0.05, momentum: 0, nesterov: false, weight_decay: 0 } as const;

  it('is the optimizer lr under a constant schedule', () => {
    expect(learningRate(123, 7, { optimizer: sgd, schedule: { type: 'constant' }, epochs: 3 })).toBe(0.05);
  });

  it('restarts a per-epoch cosine at start_lr and never quite reaches end_lr (ignite convention)', () => {
    const config: ScheduleInput = { optimizer: sgd, schedule: { type: 'cosine', start_lr: 1e-2, end_lr: 1e-3, cycle: 'epoch' }, epochs: 4 };
    const { lr, lrEnd } = epochLearningRates(2, 10, config);
    expect(lr).toBe(1e-2);
    expect(lrEnd).toBeGreaterThan(1e-3);
    expect(lrEnd).toBeCloseTo(1e-3 + (9e-3 / 2) * (1 + Math.cos((Math.PI * 9) / 10)), 15);
    expect(learningRate(20, 10, config)).toBe(1e-2);
  });

  it('rejects negative or fractional steps', () => {
    expect(() => learningRate(-1, 5, { optimizer: sgd, schedule: { type: 'constant' }, epochs: 1 })).toThrow(RangeError);
    expect(() => learningRate(1, 0, { optimizer: sgd, schedule: { type: 'constant' }, epochs: 1 })).toThrow(RangeError);
  });
});
