import type { RunConfig } from '../../compiler/types/run-config.js';

/** What a schedule reads of a run's config. */
export type ScheduleInput = Pick<RunConfig, 'optimizer' | 'schedule' | 'epochs'>;

/**
 * The learning rate of optimizer step `step` (0-based, counted over the whole
 * run), a pure function so that a resumed run needs only its step count.
 *
 * - constant: `optimizer.lr` throughout.
 * - step: torch `StepLR` stepped once per epoch: `lr * gamma^floor(e / step_size)`
 *   with `e` the 0-based epoch of the step.
 * - cosine: ignite's `CosineAnnealingScheduler` attached to ITERATION_STARTED:
 *   `start + (end - start) / 2 * (1 - cos(pi * i / cycle_size))` where `i`
 *   counts 0..cycle_size-1 inside the cycle, so the last step of a cycle stays
 *   just above `end_lr` and the next cycle starts again at `start_lr`.
 *   `cycle: epoch` uses cycle_size = steps per epoch (the seed's setup),
 *   `cycle: run` one cycle of epochs * steps per epoch.
 */
export function learningRate(step: number, stepsPerEpoch: number, config: ScheduleInput): number {
  if (!Number.isInteger(step) || step < 0) throw new RangeError(`step must be an integer >= 0, got ${step}`);
  if (!Number.isInteger(stepsPerEpoch) || stepsPerEpoch < 1) {
    throw new RangeError(`stepsPerEpoch must be an integer >= 1, got ${stepsPerEpoch}`);
  }
  const schedule = config.schedule;
  switch (schedule.type) {
    case 'constant':
      return config.optimizer.lr;
    case 'step': {
      const epochIndex = Math.floor(step / stepsPerEpoch);
      return config.optimizer.lr * schedule.gamma ** Math.floor(epochIndex / schedule.step_size);
    }
    case 'cosine': {
      const cycleSize = schedule.cycle === 'epoch' ? stepsPerEpoch : stepsPerEpoch * config.epochs;
      const index = step % cycleSize;
      const progress = index / cycleSize;
      return schedule.start_lr + ((schedule.end_lr - schedule.start_lr) / 2) * (1 - Math.cos(Math.PI * progress));
    }
  }
}

/** The learning rates of one epoch's first and last step (1-based epoch), as EpochMetrics records them. */
export function epochLearningRates(
  epoch: number,
  stepsPerEpoch: number,
  config: ScheduleInput,
): { readonly lr: number; readonly lrEnd: number } {
  const first = (epoch - 1) * stepsPerEpoch;
  return {
    lr: learningRate(first, stepsPerEpoch, config),
    lrEnd: learningRate(first + stepsPerEpoch - 1, stepsPerEpoch, config),
  };
}
