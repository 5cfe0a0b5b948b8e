import type { DatasetReport } from './dataset-report.js';
import type { SizeRange } from './inspect-dataset.js';

/** The text `sweepspec data` prints: one row per class, one column per split, then sizes, bad and ignored files. */
export function formatDatasetReport(report: DatasetReport, options: { runs: number; maxListed?: number }): string {
  const maxListed = options.maxListed ?? 20;
  const lines: string[] = [];
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : word.endsWith('s') ? 'es' : 's'}`;
  lines.push(`Dataset ${report.root}: ${plural(report.classes.length, 'class')}, used by ${plural(options.runs, 'run')}`);
  const header = ['class', ...report.splits.map((s) => s.split)];
  const rows = report.classes.map((name, c) => [name, ...report.splits.map((s) => String(s.counts[c] ?? 0))]);
  rows.push(['total', ...report.splits.map((s) => String(s.total))]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ').trimEnd();
  lines.push('', line(header), ...rows.map(line), '');
  const v = report.validation;
  const trainDir = report.splits[0]?.dir ?? '';
  if ('fraction' in v) lines.push(`train and validation: folder ${trainDir}, validation fraction ${v.fraction}${v.stratify ? ', stratified' : ''}`);
  else lines.push(`train: folder ${trainDir}; validation: folder ${v.dir}`);
  const test = report.splits.find((s) => s.split === 'test');
  lines.push(test ? `test: folder ${test.dir}` : 'test: none');
  const seen = new Set<string>();
  for (const split of report.splits) {
    if (seen.has(split.dir)) continue;
    seen.add(split.dir);
    lines.push(`Image sizes in ${split.dir}: ${formatSizes(split.sizes)}`);
  }
  listed(lines, `Bad images (on_bad_image: ${report.onBadImage})`, report.bad.map((b) => `${b.file}: ${b.reason}`), maxListed);
  listed(lines, 'Ignored entries', report.ignored.map((i) => `${i.file}: ${i.reason}`), maxListed);
  return `${lines.join('\n')}\n`;
}

function listed(lines: string[], title: string, items: string[], max: number): void {
  if (items.length === 0) return;
  lines.push('', `${title}: ${items.length}`);
  for (const item of items.slice(0, max)) lines.push(`  ${item}`);
  if (items.length > max) lines.push(`  ... and ${items.length - max} more (--json lists all)`);
}

function formatSizes(range: SizeRange | null): string {
  if (!range) return 'no usable images';
  const side = (min: number, max: number) => (min === max ? String(min) : `${min}-${max}`);
  return `width ${side(range.minWidth, range.maxWidth)}, height ${side(range.minHeight, range.maxHeight)} px`;
}
