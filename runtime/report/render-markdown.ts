/**
 * ReportModel -> Markdown text plus the images it links (charts and
 * thumbnails as PNG files in a folder beside the .md). Pure: the caller
 * renders the listed charts and thumbnails. User strings are escaped so that
 * `|` cannot split a table cell and `<...>` cannot become raw HTML.
 */
import { searchMarkdown } from './search-markdown.js';
import type { TopLevelSpec } from 'vega-lite';
import type { ExperimentSection, ReportModel, RunDetail } from './report-model.js';
import { learningCurveChart } from './charts/learning-curve-chart.js';
import { confusionChart } from './charts/confusion-chart.js';
import { formatAggregate, formatAxisValue, formatInteger, formatNumber, formatPercent, formatSeconds, formatStatusCounts } from './format.js';

export interface MarkdownImage {
  /** POSIX path relative to the .md file. */
  readonly file: string;
  readonly chart?: TopLevelSpec;
  readonly thumbnail?: { readonly runId: string; readonly file: string };
}

export interface MarkdownReport {
  readonly markdown: string;
  readonly images: readonly MarkdownImage[];
}

/** Escapes text for a Markdown table cell or paragraph. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/([*_`[\]])/g, '\\$1')
    .replace(/\r?\n/g, ' ');
}

export const code = (text: string) => `\`${text.replace(/`/g, "'").replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')}\``;

export function table(header: readonly string[], rows: readonly (readonly string[])[], numeric: readonly boolean[] = []): string {
  const align = header.map((_, i) => (numeric[i] ? '---:' : '---'));
  return [header, align, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

export function renderMarkdown(model: ReportModel, options: { assetDir: string }): MarkdownReport {
  const images: MarkdownImage[] = [];
  const out: string[] = [];
  const s = model.summary;
  out.push(`# ${escapeMarkdown(s.name)}`, '');
  if (s.description) out.push(escapeMarkdown(s.description), '');
  out.push(
    table(
      ['', ''],
      [
        ['Spec', code(s.spec)],
        ['Plan', `${s.plan_runs} runs in ${s.experiments} experiments`],
        ['Status', escapeMarkdown(formatStatusCounts(s.status_counts))],
        ['Compute time', formatSeconds(s.compute_seconds)],
        ['Backend', Object.entries(s.backends).map(([b, n]) => `${escapeMarkdown(b)} × ${n}`).join(', ') || '–'],
        ['Versions', Object.entries(s.versions).map(([p, v]) => `${escapeMarkdown(p)} ${escapeMarkdown(v.join(' / '))}`).join(', ') || '–'],
      ],
    ),
    '',
  );
  model.experiments.forEach((section, index) => {
    out.push(...experimentMarkdown(section));
    if (section.curves.length) {
      const file = `${options.assetDir}/curves-${index + 1}.png`;
      images.push({ file, chart: learningCurveChart(section) });
      out.push(`![Learning curves of ${escapeMarkdown(section.title)}](${encodeURI(file)})`, '');
      out.push(`_Training (dashed) and validation (solid) accuracy and loss per epoch${section.early_termination?.rungs.length ? '; dotted rules mark the early-termination rungs' : ''}._`, '');
    } else out.push('_No epoch has finished yet._', '');
    if (section.search) out.push(...searchMarkdown(section.title, section.search, `${options.assetDir}/search-${index + 1}.png`, images));
  });
  if (model.details.length) out.push('## Best runs in detail', '');
  model.details.forEach((detail, index) => out.push(...detailMarkdown(detail, index, options.assetDir, images)));
  if (model.failed.length) {
    const failed = model.failed.some((f) => f.status === 'failed');
    const interrupted = model.failed.some((f) => f.status === 'interrupted');
    out.push(`## ${failed && interrupted ? 'Failed and interrupted runs' : interrupted ? 'Interrupted runs' : 'Failed runs'}`, '');
    out.push(
      table(
        ['Run', 'Id', 'Experiments', 'Status', 'Reason'],
        model.failed.map((f) => [
          escapeMarkdown(f.name),
          code(f.id),
          f.experiments.map(code).join(', '),
          f.status,
          f.failure
            ? `${code(f.failure.code)} ${escapeMarkdown(f.failure.message)}${f.failure.epoch ? ` (epoch ${f.failure.epoch})` : ''}`
            : 'interrupted; `sweepspec run` resumes it',
        ]),
      ),
      '',
    );
  }
  if (model.notes.length) out.push('## Notes on the stored results', '', ...model.notes.map((n) => `- ${escapeMarkdown(n)}`), '');
  return { markdown: `${out.join('\n').trimEnd()}\n`, images };
}

function experimentMarkdown(section: ExperimentSection): string[] {
  const axes = section.varying_axes;
  const out = [`## ${escapeMarkdown(section.title)}`, ''];
  const by = section.selection.metric === 'val_loss' ? 'validation loss (lower is better)' : 'validation accuracy';
  out.push(`Experiment ${code(section.name)}; varies ${axes.map(code).join(', ') || 'nothing'}; sorted by ${by} at the kept epoch; ★ marks the best.`, '');
  if (section.early_termination) out.push(`${escapeMarkdown(section.early_termination.text)} Stopped runs rank after the runs trained to the end.`, '');
  if (section.repeats) {
    out.push(
      table(
        ['', ...(axes.length ? axes.map(escapeMarkdown) : ['Configuration']), 'Seeds', 'Best val acc', 'Val loss', 'Test acc', 'Macro-F1', 'Epochs', 's / epoch', 'Status'],
        section.groups.map((g) => [
          g.is_best ? '★' : '',
          ...(axes.length ? axes.map((a) => escapeMarkdown(formatAxisValue(g.values[a]))) : [escapeMarkdown(g.label)]),
          String(g.best_val_accuracy?.n ?? 0),
          formatAggregate(g.best_val_accuracy, 'percent'),
          formatAggregate(g.val_loss_at_best, 'number'),
          formatAggregate(g.test_accuracy, 'percent'),
          formatAggregate(g.macro_f1, 'number'),
          formatAggregate(g.epochs_run, 'count'),
          formatAggregate(g.seconds_per_epoch, 'seconds'),
          formatStatusCounts(g.status_counts),
        ]),
        [false, ...(axes.length ? axes.map(() => false) : [false]), true, true, true, true, true, true, true, false],
      ),
      '',
      'Mean ± sample standard deviation over seeds.',
      '',
      '### Every run',
      '',
    );
  }
  out.push(
    table(
      ['', 'Run', ...axes.map(escapeMarkdown), ...(section.repeats ? ['Seed'] : []), 'Best val acc', 'Epoch', 'Val loss', 'Test acc', 'Macro-F1', 'Epochs', 's / epoch', 'Status'],
      section.rows.map((r) => [
        r.is_best ? '★' : '',
        `${escapeMarkdown(r.name)} ${code(r.id)}`,
        ...axes.map((a) => escapeMarkdown(formatAxisValue(r.values[a]))),
        ...(section.repeats ? [formatInteger(r.seed)] : []),
        formatPercent(r.best_val_accuracy),
        formatInteger(r.best_epoch),
        formatNumber(r.val_loss_at_best),
        formatPercent(r.test_accuracy),
        formatNumber(r.macro_f1),
        `${r.epochs_run}/${r.epochs_planned}`,
        formatSeconds(r.seconds_per_epoch),
        r.stopped_at === undefined ? r.status : `stopped at epoch ${r.stopped_at}`,
      ]),
      [false, false, ...axes.map(() => false), ...(section.repeats ? [true] : []), true, true, true, true, true, true, true, false],
    ),
    '',
  );
  return out;
}

function detailMarkdown(detail: RunDetail, index: number, assetDir: string, images: MarkdownImage[]): string[] {
  const out = [`### ${escapeMarkdown(detail.name)} ${code(detail.id)}`, ''];
  const why = [
    detail.best_of.length ? `best run of ${detail.best_of.map(code).join(', ')}` : '',
    detail.requested ? 'requested with --run' : '',
  ].filter(Boolean);
  out.push(`${why.join('; ')}; status ${detail.status}.`, '');
  if (!detail.split) return [...out, '_No test evaluation stored for this run yet._', ''];
  out.push(
    `${detail.split} split, weights of epoch ${detail.evaluated_epoch}: accuracy ${formatPercent(detail.accuracy)}, top-3 accuracy ${formatPercent(detail.top3_accuracy)}, loss ${formatNumber(detail.loss)}, macro-F1 ${formatNumber(detail.macro_avg?.f1)}.`,
    '',
  );
  const chart = confusionChart(detail);
  if (chart) {
    const file = `${assetDir}/confusion-${index + 1}.png`;
    images.push({ file, chart });
    out.push(`![Confusion matrix of ${escapeMarkdown(detail.name)}](${encodeURI(file)})`, '');
  }
  const scoreRow = (label: string, c: { precision: number; recall: number; f1: number; support: number } | null) =>
    c ? [label, formatNumber(c.precision), formatNumber(c.recall), formatNumber(c.f1), String(c.support)] : [label, '–', '–', '–', '–'];
  out.push(
    table(
      ['Class', 'Precision', 'Recall', 'F1', 'Support'],
      [
        ...detail.per_class.map((c) => scoreRow(escapeMarkdown(c.class_name), c)),
        ['**accuracy**', '', '', formatNumber(detail.accuracy), String(detail.macro_avg?.support ?? '–')],
        scoreRow('**macro avg**', detail.macro_avg),
        scoreRow('**weighted avg**', detail.weighted_avg),
      ],
      [false, true, true, true, true],
    ),
    '',
  );
  if (detail.confused_pairs.length) {
    out.push('Most confused:', '');
    detail.confused_pairs.forEach((p, i) =>
      out.push(`${i + 1}. ${escapeMarkdown(p.true_class)} taken for ${escapeMarkdown(p.predicted_class)}: ${p.count} × (${formatPercent(p.fraction)} of ${escapeMarkdown(p.true_class)})`),
    );
    out.push('');
  }
  if (detail.gallery.length) {
    out.push(`Misclassified images (${detail.gallery.length} of ${detail.misclassified_total}, most confident first):`, '');
    const rows = detail.gallery.map((item, i) => {
      const file = `${assetDir}/mistake-${index + 1}-${i + 1}.png`;
      images.push({ file, thumbnail: { runId: detail.id, file: item.file } });
      return [
        `![${escapeMarkdown(item.file)}](${encodeURI(file)})`,
        escapeMarkdown(item.true_class),
        escapeMarkdown(item.predicted_class),
        item.top3.map((t) => `${escapeMarkdown(t.class_name)} ${formatPercent(t.probability)}`).join(', '),
        code(item.file),
      ];
    });
    out.push(table(['Image', 'True', 'Predicted', 'Top-3', 'File'], rows), '');
  } else {
    out.push(detail.predictions ? '_Every image was classified correctly._' : '_No predictions stored for this run._', '');
  }
  return out;
}
