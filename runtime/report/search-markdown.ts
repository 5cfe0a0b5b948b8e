import type { SearchProgress } from '../search/search-progress.js';
import { searchChart } from './charts/search-chart.js';
import { formatNumber, formatPercent } from './format.js';
import { code, escapeMarkdown, table, type MarkdownImage } from './render-markdown.js';

/** A model-based search in Markdown: the best-so-far chart (a PNG at `file`) and its runs in proposal order. */
export function searchMarkdown(title: string, search: SearchProgress, file: string, images: MarkdownImage[]): string[] {
  const out = ['### Search in proposal order', ''];
  out.push(
    `_tpe search: ${search.samples} runs, the first ${search.startup} seeded random draws, the rest proposed from the results so far; ` +
      `${search.direction === 'maximize' ? 'maximises' : 'minimises'} ${code(search.metric)} at the kept epoch. ` +
      'l: the best runs a proposal was modelled on, g: the rest (* still pending, counted as bad results)._',
    '',
  );
  const chart = searchChart(title, search);
  if (chart) {
    images.push({ file, chart });
    out.push(`![Best ${escapeMarkdown(search.metric)} so far in ${escapeMarkdown(title)}](${encodeURI(file)})`, '');
  }
  const value = (v: number | null) => (search.metric === 'val_accuracy' ? formatPercent(v) : formatNumber(v));
  const rows = search.rows.map((row) => [
    String(row.n),
    row.run ? `${escapeMarkdown(row.name ?? '')} ${code(row.run)}` : '_not proposed yet_',
    row.how ?? '',
    row.status,
    value(row.value),
    value(row.best),
    row.from ? `l: ${row.from.below.map(code).join(' ') || '–'} · g: ${row.from.above.map((id) => code(id) + (row.from!.pending.includes(id) ? '\\*' : '')).join(' ') || '–'}` : '',
  ]);
  out.push(table(['#', 'run', 'chosen by', 'status', search.metric, 'best so far', 'proposed from'], rows, [true, false, false, false, true, true, false]), '');
  return out;
}
