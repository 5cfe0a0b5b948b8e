/**
 * A model-based search against the number of runs: each run's objective as a
 * dot coloured by how it was chosen (a startup draw, a tpe proposal, a random
 * fallback), and the best value so far as a step line.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { SearchProgress } from '../../search/search-progress.js';
import { CHART_CONFIG } from './chart-theme.js';

export function searchChart(title: string, search: SearchProgress): TopLevelSpec | null {
  const rows = search.rows.filter((row) => row.value !== null);
  if (rows.length === 0) return null;
  const accuracy = search.metric === 'val_accuracy';
  const label = accuracy ? 'validation accuracy' : 'validation loss';
  const x = { field: 'n', type: 'quantitative' as const, title: 'runs', scale: { domain: [1, Math.max(2, search.rows.length)], nice: false }, axis: { tickMinStep: 1, format: 'd' } };
  const y = { type: 'quantitative' as const, title: label, scale: { zero: false }, axis: accuracy ? { format: '.0%' } : { format: '~g' } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: `Best ${label} so far by number of runs in ${title}`,
    config: CHART_CONFIG,
    width: 420,
    height: 210,
    data: { values: search.rows.filter((row) => row.best !== null).map((row) => ({ n: row.n, best: row.best, value: row.value, how: row.how ?? 'pending' })) },
    layer: [
      { mark: { type: 'line', interpolate: 'step-after', strokeWidth: 2, aria: false }, encoding: { x, y: { ...y, field: 'best' } } },
      {
        transform: [{ filter: 'datum.value !== null' }],
        mark: { type: 'point', filled: true, size: 40, aria: false },
        encoding: {
          x,
          y: { ...y, field: 'value' },
          color: { field: 'how', type: 'nominal' as const, title: 'chosen by', sort: ['draw', 'tpe', 'random'], scale: { domain: ['draw', 'tpe', 'random'], range: ['#8c959f', '#0969da', '#bf8700'] } },
        },
      },
    ],
  };
}
