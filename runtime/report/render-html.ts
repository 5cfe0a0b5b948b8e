/**
 * ReportModel + rendered assets -> one self-contained HTML page. Handlebars
 * with its defaults: `{{ }}` escapes every user string, prototype access
 * stays off (no allowProto* options are ever passed), and only the SVGs this
 * module rendered and the stylesheet are inserted raw. A CSP meta tag in the
 * layout forbids scripts and every external request.
 */
import Handlebars from 'handlebars';
import type { Aggregate, AxisValue, ReportModel } from './report-model.js';
import type { ReportTemplates } from './templates.js';
import { thumbnailKey } from './thumbnails.js';
import { formatAggregate, formatAxisValue, formatInteger, formatNumber, formatPercent, formatSeconds } from './format.js';

export interface HtmlAssets {
  /** Inline SVG of each experiment's learning curves, by experiment index. */
  readonly curves: readonly (string | null)[];
  /** Inline SVG of each detail's confusion matrix, by detail index. */
  readonly confusion: readonly (string | null)[];
  /** Inline SVG of each experiment's search progress (model-based searches), by experiment index. */
  readonly search?: readonly (string | null)[];
  /** Thumbnail bytes by `thumbnailKey(runId, file)`. */
  readonly thumbnails: ReadonlyMap<string, Buffer>;
  readonly thumbnailType: 'image/png' | 'image/jpeg';
}

export interface HtmlContext {
  readonly version: string;
  /** Where the results came from, as the user named it. */
  readonly source: string;
}

export function renderHtml(model: ReportModel, assets: HtmlAssets, templates: ReportTemplates, context: HtmlContext): string {
  const hbs = Handlebars.create();
  registerHelpers(hbs);
  for (const [name, text] of Object.entries(templates.partials)) hbs.registerPartial(name, text);
  const layout = hbs.compile(templates.layout, { strict: false });
  const list = (counts: Readonly<Record<string, number | undefined>>) =>
    Object.entries(counts).map(([status, count]) => ({ status, count }));
  const view = {
    css: templates.css,
    generator: context,
    summary: model.summary,
    statusList: list(model.summary.status_counts),
    backendList: Object.entries(model.summary.backends).map(([name, count]) => ({ name, count })),
    versionList: Object.entries(model.summary.versions).map(([name, versions]) => ({ name, versions: versions.join(' / ') })),
    experiments: model.experiments.map((section, index) => ({
      ...section,
      groups: section.groups.map((group) => ({ ...group, statusList: list(group.status_counts) })),
      curves_svg: assets.curves[index] ?? null,
      search_svg: assets.search?.[index] ?? null,
    })),
    details: model.details.map((detail, index) => ({
      ...detail,
      confusion_svg: assets.confusion[index] ?? null,
      gallery: detail.gallery.map((item) => {
        const bytes = assets.thumbnails.get(thumbnailKey(detail.id, item.file));
        return { ...item, thumbnail: bytes ? `data:${assets.thumbnailType};base64,${bytes.toString('base64')}` : null };
      }),
    })),
    failed: model.failed,
    failedTitle: failedTitle(model),
    notes: model.notes,
  };
  return layout(view);
}

function failedTitle(model: ReportModel): string {
  const failed = model.failed.some((run) => run.status === 'failed');
  const interrupted = model.failed.some((run) => run.status === 'interrupted');
  return failed && interrupted ? 'Failed and interrupted runs' : interrupted ? 'Interrupted runs' : 'Failed runs';
}

function registerHelpers(hbs: typeof Handlebars): void {
  hbs.registerHelper('pct', (value: number | null) => formatPercent(value));
  hbs.registerHelper('pctRaw', (value: number) => `${Math.max(0, Math.min(100, value * 100)).toFixed(1)}%`);
  hbs.registerHelper('num', (value: number | null) => formatNumber(value));
  hbs.registerHelper('int', (value: number | null) => formatInteger(value));
  hbs.registerHelper('secs', (value: number | null) => formatSeconds(value));
  hbs.registerHelper('axis', (value: AxisValue) => formatAxisValue(value));
  hbs.registerHelper('pm', (value: Aggregate | null, kind: 'percent' | 'number' | 'count' | 'seconds') => formatAggregate(value, kind));
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hbs.registerHelper('includes', (list: unknown, item: unknown) => Array.isArray(list) && list.includes(item));
}
