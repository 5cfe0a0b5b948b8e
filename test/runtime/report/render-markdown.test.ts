import { describe, expect, it } from 'vitest';
import { loadReportModel } from '../../../runtime/report/write-report.js';
import { escapeMarkdown, renderMarkdown } from '../../../runtime/report/render-markdown.js';
import { FIXTURE_RESULTS, expectGolden } from './helpers.js';

describe('renderMarkdown', () => {
  it('matches the golden Markdown of the fixture sweep', async () => {
    const model = await loadReportModel(FIXTURE_RESULTS, { runs: ['arch=squeezenet1_1'], checkLeases: false });
    const { markdown, images } = renderMarkdown(model, { assetDir: 'report-files' });
    await expectGolden('report.md', markdown);
    expect(images.map((image) => image.file)).toEqual([
      'report-files/curves-1.png',
      'report-files/curves-2.png',
      'report-files/confusion-1.png',
      'report-files/mistake-1-1.png',
      'report-files/mistake-1-2.png',
      'report-files/confusion-2.png',
      'report-files/confusion-3.png',
    ]);
  });

  it('escapes what would split a table cell or become HTML', () => {
    expect(escapeMarkdown('a|b <img src=x onerror=alert(1)> *x* [l](u) \\')).toBe(
      'a\\|b &lt;img src=x onerror=alert(1)&gt; \\*x\\* \\[l\\](u) \\\\',
    );
    expect(escapeMarkdown('two\nlines')).toBe('two lines');
  });
});
