/**
 * A confusion-matrix heatmap as a declarative Vega-Lite spec: rows are true
 * classes, columns predicted ones, colour is the share of the true class,
 * each cell labelled with its count.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { RunDetail } from '../report-model.js';
import { CHART_CONFIG } from './chart-theme.js';

export function confusionChart(detail: Pick<RunDetail, 'name' | 'classes' | 'confusion'>): TopLevelSpec | null {
  if (!detail.confusion || detail.confusion.length === 0) return null;
  const names = detail.confusion.map((_, index) => detail.classes[index] ?? `class ${index}`);
  const cells = detail.confusion.flatMap((row, t) => {
    const support = row.reduce((a, b) => a + b, 0);
    return row.map((count, p) => ({ true_class: names[t], predicted: names[p], count, share: support ? count / support : 0 }));
  });
  const step = Math.max(22, Math.min(44, Math.round(400 / names.length)));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: `Confusion matrix of run ${detail.name}`,
    config: { ...CHART_CONFIG, view: { stroke: null } },
    data: { values: cells },
    width: { step },
    height: { step },
    encoding: {
      x: { field: 'predicted', type: 'ordinal', sort: names, title: 'predicted class', axis: { orient: 'top', labelAngle: -40, labelLimit: 120 } },
      y: { field: 'true_class', type: 'ordinal', sort: names, title: 'true class', axis: { labelLimit: 120 } },
    },
    layer: [
      {
        mark: { type: 'rect', stroke: 'white', strokeWidth: 1, aria: false },
        encoding: {
          color: { field: 'share', type: 'quantitative', title: 'share of true class', scale: { domain: [0, 1], range: ['#f6f8fa', '#0b4f9c'] }, legend: { format: '.0%', gradientLength: Math.min(160, step * names.length) } },
        },
      },
      {
        mark: { type: 'text', fontSize: step < 28 ? 9 : 11, aria: false },
        encoding: {
          text: { field: 'count', type: 'quantitative' },
          color: { condition: { test: 'datum.share > 0.55', value: 'white' }, value: '#1f2328' },
        },
      },
    ],
  };
}
