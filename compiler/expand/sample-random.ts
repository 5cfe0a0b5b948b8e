import type { DistributionAxis, ExperimentSpec } from '../types/study.js';
import { axisChoices, cellOf, shortLabels, type AxisChoice } from './axis-choices.js';
import { seededRandom } from './seeded-random.js';

/**
 * Random search: `samples` draws, each axis in written order from one seeded
 * stream. uniform and loguniform draw a number, int an integer; lists, choice
 * and variant axes draw one entry, each equally likely.
 */
export function sampleRandom(experiment: ExperimentSpec): AxisChoice[][] {
  const next = seededRandom(experiment.search.seed);
  const short = shortLabels(experiment);
  const samples: AxisChoice[][] = [];
  for (let s = 0; s < (experiment.search.samples ?? 0); s++) {
    samples.push(
      experiment.axes.map((axis) => {
        const u = next();
        if (axis.kind !== 'distribution') {
          const choices = axisChoices(axis, short.get(axis.label)!);
          return choices[Math.min(choices.length - 1, Math.floor(u * choices.length))];
        }
        const value = drawFromDistribution(axis, u);
        return {
          assignments: [{ path: axis.path, value, origin: axis.origin }],
          cell: cellOf(value),
          nameText: `${short.get(axis.label)}=${distributionNameText(axis, value)}`,
        };
      }),
    );
  }
  return samples;
}

/** The value of a distribution axis at u in [0, 1): the inverse CDF of uniform, log-uniform or discrete uniform. */
export function drawFromDistribution(axis: Pick<DistributionAxis, 'distribution' | 'low' | 'high'>, u: number): number {
  if (axis.distribution === 'uniform') return axis.low + (axis.high - axis.low) * u;
  if (axis.distribution === 'int') return Math.min(axis.high, axis.low + Math.floor(u * (axis.high - axis.low + 1)));
  return Math.exp(Math.log(axis.low) + (Math.log(axis.high) - Math.log(axis.low)) * u);
}

/** A drawn value in a run name: integers whole, other numbers to three significant digits. */
export function distributionNameText(axis: Pick<DistributionAxis, 'distribution'>, value: number): string {
  return axis.distribution === 'int' ? String(value) : String(Number(value.toPrecision(3)));
}
