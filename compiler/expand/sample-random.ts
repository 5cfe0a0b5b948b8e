import type { ExperimentSpec } from '../types/study.js';
import { axisChoices, cellOf, shortLabels, type AxisChoice } from './axis-choices.js';
import { seededRandom } from './seeded-random.js';

/**
 * Random search: `samples` draws, each axis in written order from one seeded
 * stream. uniform and loguniform draw a number; lists, choice and variant
 * axes draw one entry, each equally likely.
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
        const value =
          axis.distribution === 'uniform'
            ? axis.low + (axis.high - axis.low) * u
            : Math.exp(Math.log(axis.low) + (Math.log(axis.high) - Math.log(axis.low)) * u);
        return {
          assignments: [{ path: axis.path, value, origin: axis.origin }],
          cell: cellOf(value),
          nameText: `${short.get(axis.label)}=${Number(value.toPrecision(3))}`,
        };
      }),
    );
  }
  return samples;
}
