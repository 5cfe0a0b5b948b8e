/**
 * Names come from users (spec files, folder names of classes): whatever they
 * hold must render as text in HTML, keep Markdown tables intact, and never
 * reach Handlebars as template code.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunPlan } from '../../../compiler/types/plan.js';
import type { RunRecord, TestEvaluation } from '../../../runtime/results/records.js';
import { loadReportModel, renderHtmlReport } from '../../../runtime/report/write-report.js';
import { loadTemplates } from '../../../runtime/report/templates.js';
import { renderMarkdown } from '../../../runtime/report/render-markdown.js';
import { copyFixtures, editJson } from './helpers.js';

const SCRIPT = '<script>alert(1)</script>';
const IMG = '<img src=x onerror=alert(2)>';
const MUSTACHE = '{{constructor.constructor}}';
const PIPE = 'a|b';
const QUOTE = 'q" onmouseover="alert(3)';
const EVIL = [SCRIPT, IMG, MUSTACHE, PIPE];

let fixture: Awaited<ReturnType<typeof copyFixtures>>;
let html = "";
let markdown = '';

beforeAll(async () => {
  fixture = await copyFixtures();
  const runs = path.join(fixture.results, 'runs');
  await editJson<RunPlan>(path.join(fixture.results, 'plan.json'), (plan) => ({
    ...plan,
    name: `study ${SCRIPT}`,
    description: `${IMG} ${MUSTACHE}`,
    experiments: plan.experiments.map((e, i) => ({ ...e, title: `${EVIL[i]} title`, name: `${EVIL[i + 2]}-name` })),
    runs: plan.runs.map((run, i) => ({ ...run, name: `${[...EVIL, QUOTE][i % 5]} run ${i}` })),
  }));
  const classes = [SCRIPT, IMG, `${MUSTACHE} ${PIPE}`];
  for (const id of ['a18000000001', 'a11000000004', 'b01000000005', 'b01000000006']) {
    await editJson<TestEvaluation>(path.join(runs, id, 'evaluation.json'), (e) => ({ ...e, report: { ...e.report, classes } }));
    await editJson<RunRecord>(path.join(runs, id, 'record.json'), (r) => ({ ...r, classes }));
  }
  await editJson<RunRecord>(path.join(runs, 'a34000000002', 'record.json'), (r) => ({
    ...r,
    failure: { code: 'NON_FINITE_LOSS', message: `${IMG} ${PIPE}` },
  }));
  const model = await loadReportModel(fixture.results);
  html = await renderHtmlReport(model, fixture.results, await loadTemplates(), { version: '0', source: `${SCRIPT}/results` });
  markdown = renderMarkdown(model, { assetDir: 'files' }).markdown;
});
afterAll(async () => fixture?.cleanup());

describe('user strings in the HTML report', () => {
  it('never appear as markup', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img[^>]*onerror/i);
    expect(html).not.toMatch(/onmouseover="/i); // quotes in names cannot end an attribute (SVG aria labels included)
    // The only images are the thumbnails, as data: URIs.
    for (const tag of html.match(/<img[^>]*>/g) ?? []) expect(tag).toMatch(/^<img src="data:image\/jpeg;base64,[A-Za-z0-9+/=&#x;]+"/);
  });

  it('render as text, escaped, wherever they are shown', () => {
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; run 0');
    expect(html).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(2)&gt; title');
    expect(html).toContain('<title>study &lt;script&gt;alert(1)&lt;/script&gt; · sweepspec report</title>');
    // In the charts (vega escapes SVG text) and the classification report.
    // (long legend and axis labels end in an ellipsis)
    expect(html).toMatch(/<text[^>]*>&lt;script&gt;alert\(1\)/);
    expect(html).toMatch(/<text[^>]*>&lt;img src=x onerror=alert/);
    expect(html).toContain('<td>&lt;img src&#x3D;x onerror&#x3D;alert(2)&gt;</td>');
  });

  it('are data, not template code: mustaches come out verbatim', () => {
    expect(html).toContain(`${MUSTACHE} a|b`);
    expect(html).not.toContain('function Function');
    expect(html).not.toContain('[native code]');
  });
});

describe('Handlebars prototype access', () => {
  it('stays off, also for user partials given with --templates', async () => {
    const dir = path.join(fixture.root, 'my-templates');
    await mkdir(dir);
    await writeFile(
      path.join(dir, 'summary.hbs'),
      '<p id="proto">[{{summary.constructor.name}}][{{constructor.constructor}}][{{lookup summary "__proto__"}}][{{summary.name}}]</p>',
    );
    const model = await loadReportModel(fixture.results);
    const error = console.error;
    console.error = () => {}; // Handlebars logs each denied access
    try {
      const page = await renderHtmlReport(model, fixture.results, await loadTemplates(dir), { version: '0', source: 'x' });
      expect(page).toContain('<p id="proto">[][][][study &lt;script&gt;alert(1)&lt;/script&gt;]</p>');
    } finally {
      console.error = error;
    }
  });
});

describe('user strings in the Markdown report', () => {
  it('keep every table row at its header width', () => {
    const cells = (line: string) => line.replace(/\\\\/g, '').split(/(?<!\\)\|/).length;
    const lines = markdown.split('\n');
    let tables = 0;
    lines.forEach((line, i) => {
      if (!line.startsWith('| ') || lines[i - 1]?.startsWith('|')) return;
      tables += 1;
      const width = cells(line);
      for (let j = i + 1; lines[j]?.startsWith('|'); j++) expect(cells(lines[j]), lines[j]).toBe(width);
    });
    expect(tables).toBeGreaterThanOrEqual(6);
  });

  it('hold no raw HTML', () => {
    expect(markdown).not.toMatch(/<script|<img/i);
    expect(markdown).toContain('&lt;script&gt;alert(1)&lt;/script&gt; run 0');
    expect(markdown).toContain('a\\|b run 3');
  });
});
