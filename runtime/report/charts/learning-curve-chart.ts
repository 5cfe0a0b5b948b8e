/**
 * One experiment's learning curves as a declarative Vega-Lite spec: accuracy
 * and loss side by side, train dashed and validation solid, one line per run
 * coloured by configuration (repeats of a configuration share a colour).
 * Loss is drawn on a log scale: an early divergent epoch (a validation loss
 * of 100 after epoch 1 is common at high learning rates) would otherwise
 * flatten every other curve. Under early termination the rung epochs are
 * marked with dotted rules (stopped runs' lines end at one).
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ExperimentSection } from '../report-model.js';
import { CHART_CONFIG, categoricalScheme } from './chart-theme.js';

export function learningCurveChart(section: ExperimentSection): TopLevelSpec {
  const groups = [...new Set(section.curves.map((point) => point.group))];
  const maxEpoch = Math.max(1, ...section.curves.map((point) => point.epoch));
  const runs = new Set(section.curves.map((point) => point.run)).size;
  // Dots on each epoch help with few short runs; with many they only cost bytes.
  const points = maxEpoch <= 12 && runs <= 12;
  const values = section.curves.filter((p) => Number.isFinite(p.value) && (p.metric === 'accuracy' || p.value > 0));
  const lines = (metric: 'accuracy' | 'loss') => ({
    transform: [{ filter: `datum.metric === '${metric}'` }],
    // No per-line ARIA labels: the figure has a caption and the table holds the numbers.
    mark: { type: 'line' as const, point: points ? { size: 18, filled: true, aria: false } : false, strokeWidth: 1.6, clip: true, aria: false },
    encoding: {
      x: { field: 'epoch', type: 'quantitative' as const, title: 'epoch', scale: { domain: [1, maxEpoch], nice: false }, axis: { tickMinStep: 1, format: 'd' } },
      y: {
        field: 'value', type: 'quantitative' as const, title: null,
        scale: metric === 'accuracy' ? { zero: false } : { type: 'log' as const, nice: false, padding: 6 },
        axis: metric === 'accuracy' ? { format: '.0%' } : { format: '~g', tickCount: 5 },
      },
      color: {
        field: 'group', type: 'nominal' as const, title: section.repeats ? 'configuration' : 'run', sort: groups,
        scale: { scheme: categoricalScheme(groups.length) },
        legend: { symbolLimit: 24, orient: 'right' as const, symbolType: 'stroke', symbolStrokeWidth: 2.5, symbolSize: 260 },
      },
      strokeDash: {
        field: 'split', type: 'nominal' as const, title: 'split', sort: ['validation', 'train'],
        scale: { domain: ['validation', 'train'], range: [[1, 0], [4, 3]] },
        legend: { symbolType: 'stroke', symbolStrokeWidth: 1.6, symbolSize: 260, symbolStrokeColor: '#57606a', symbolOpacity: 1, symbolFillColor: '#57606a' },
      },
      detail: { field: 'run', type: 'nominal' as const },
      order: { field: 'epoch', type: 'quantitative' as const },
    },
  });
  // Early termination: a dotted rule at each rung epoch, where runs were compared and the weak ones stopped.
  const rungs = (section.early_termination?.rungs ?? []).filter((epoch) => epoch <= maxEpoch);
  const rungRules = {
    data: { values: rungs.map((epoch) => ({ rung: epoch })) },
    mark: { type: 'rule' as const, color: '#8c959f', strokeDash: [2, 3], strokeWidth: 1, aria: false },
    encoding: { x: { field: 'rung', type: 'quantitative' as const } },
  };
  const panel = (metric: 'accuracy' | 'loss') => ({
    title: metric === 'accuracy' ? 'Accuracy' : 'Loss (log scale)',
    width: 330,
    height: 210,
    ...(rungs.length ? { layer: [lines(metric), rungRules] } : lines(metric)),
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: `Learning curves of ${section.title}`,
    config: CHART_CONFIG,
    data: { values: values.map((point) => ({ ...point })) },
    hconcat: [panel('accuracy'), panel('loss')],
    resolve: { scale: { color: 'shared', strokeDash: 'shared' } },
  };
}
