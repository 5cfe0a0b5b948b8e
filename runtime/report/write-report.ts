/**
 * The report's edge: read a results directory, build the model, render it in
 * the asked format and write the file(s). Returns what it wrote; never prints.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import type { RunPlan } from '../../compiler/types/plan.js';
import type { ReportModel } from './report-model.js';
import { loadPredictions, readResults } from './read-results.js';
import { buildReportModel, detailRunIds, resolveRunIds } from './build-report-model.js';
import { learningCurveChart } from './charts/learning-curve-chart.js';
import { confusionChart } from './charts/confusion-chart.js';
import { searchChart } from './charts/search-chart.js';
import { renderChartSvg } from './charts/render-chart.js';
import { makeThumbnails, thumbnailKey } from './thumbnails.js';
import { loadTemplates, type ReportTemplates } from './templates.js';
import { renderHtml } from './render-html.js';
import { renderMarkdown } from './render-markdown.js';
import { comparisonCsv, comparisonJson } from './export-table.js';

export type ReportFormat = 'html' | 'md' | 'csv' | 'json';
export const REPORT_FORMATS: readonly ReportFormat[] = ['html', 'md', 'csv', 'json'];

export interface WriteReportOptions extends LoadReportOptions {
  readonly resultsDir: string;
  readonly format: ReportFormat;
  /** Default: `<resultsDir>/report.<ext>`. */
  readonly out?: string;
  readonly templatesDir?: string;
  readonly version: string;
}

export interface WrittenReport {
  readonly path: string;
  /** Every file written, the report first. */
  readonly files: readonly string[];
  readonly model: ReportModel;
}

export interface LoadReportOptions {
  /** --run arguments: ids, unique id prefixes or run names. */
  readonly runs?: readonly string[];
  /** Report on this plan (a spec compiled now) instead of the results' plan.json. */
  readonly plan?: RunPlan;
  /** See ReadResultsOptions.checkLeases (default true). */
  readonly checkLeases?: boolean;
}

export async function loadReportModel(resultsDir: string, options: LoadReportOptions = {}): Promise<ReportModel> {
  const runs = options.runs ?? [];
  const stored = await readResults({ dir: resultsDir, plan: options.plan, checkLeases: options.checkLeases });
  const requested = resolveRunIds(stored.plan, runs);
  const withPredictions = await loadPredictions(stored, detailRunIds(stored, requested));
  return buildReportModel(withPredictions, { requestedRuns: requested });
}

export async function writeReport(options: WriteReportOptions): Promise<WrittenReport> {
  const model = await loadReportModel(options.resultsDir, options);
  const out = options.out ?? path.join(options.resultsDir, `report.${options.format}`);
  await mkdir(path.dirname(path.resolve(out)), { recursive: true });
  const files = [out];
  if (options.format === 'html') {
    const templates = await loadTemplates(options.templatesDir);
    await writeFile(out, await renderHtmlReport(model, options.resultsDir, templates, { version: options.version, source: options.resultsDir }));
  } else if (options.format === 'md') {
    files.push(...(await writeMarkdownReport(model, options.resultsDir, out)));
  } else if (options.format === 'csv') {
    await writeFile(out, comparisonCsv(model));
  } else {
    await writeFile(out, comparisonJson(model));
  }
  return { path: out, files, model };
}

/** Charts and thumbnails rendered, then the page. */
export async function renderHtmlReport(
  model: ReportModel,
  resultsDir: string,
  templates: ReportTemplates,
  context: { version: string; source: string },
): Promise<string> {
  const curves = await Promise.all(
    model.experiments.map((section, i) =>
      section.curves.length ? renderChartSvg(learningCurveChart(section), { idPrefix: `curves-${i + 1}` }) : null,
    ),
  );
  const confusion = await Promise.all(
    model.details.map((detail, i) => {
      const chart = confusionChart(detail);
      return chart ? renderChartSvg(chart, { idPrefix: `confusion-${i + 1}` }) : null;
    }),
  );
  const search = await Promise.all(
    model.experiments.map((section, i) => {
      const chart = section.search ? searchChart(section.title, section.search) : null;
      return chart ? renderChartSvg(chart, { idPrefix: `search-${i + 1}` }) : null;
    }),
  );
  const thumbnails = await makeThumbnails(model, resultsDir, 'jpeg');
  return renderHtml(model, { curves, confusion, search, thumbnails, thumbnailType: 'image/jpeg' }, templates, context);
}

/** The .md and its PNGs in `<name>-files/` beside it; returns the PNG paths. */
async function writeMarkdownReport(model: ReportModel, resultsDir: string, out: string): Promise<string[]> {
  const assetDir = `${path.basename(out, path.extname(out))}-files`;
  const { markdown, images } = renderMarkdown(model, { assetDir });
  const thumbnails = await makeThumbnails(model, resultsDir, 'png');
  const written: string[] = [];
  if (images.length) await mkdir(path.join(path.dirname(out), assetDir), { recursive: true });
  for (const image of images) {
    const target = path.join(path.dirname(out), ...image.file.split('/'));
    if (image.chart) {
      const svg = await renderChartSvg(image.chart, { idPrefix: 'c' });
      await sharp(Buffer.from(svg), { density: 144 }).png().toFile(target);
    } else if (image.thumbnail) {
      const bytes = thumbnails.get(thumbnailKey(image.thumbnail.runId, image.thumbnail.file));
      if (!bytes) continue;
      await writeFile(target, bytes);
    }
    written.push(target);
  }
  await writeFile(out, markdown);
  return written;
}

export async function packageVersion(): Promise<string> {
  const text = await readFile(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}
