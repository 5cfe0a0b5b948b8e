import { describe, expect, it } from 'vitest';
import { prefixIds, renderChartSvg } from '../../../../runtime/report/charts/render-chart.js';
import { learningCurveChart } from '../../../../runtime/report/charts/learning-curve-chart.js';
import { confusionChart } from '../../../../runtime/report/charts/confusion-chart.js';
import { loadReportModel } from '../../../../runtime/report/write-report.js';
import { FIXTURE_RESULTS } from '../helpers.js';

describe('renderChartSvg', () => {
  it('renders both chart kinds offline to SVG with nothing external to fetch', async () => {
    const model = await loadReportModel(FIXTURE_RESULTS, { checkLeases: false });
    const curves = await renderChartSvg(learningCurveChart(model.experiments[1]), { idPrefix: 'curves-2' });
    const confusion = await renderChartSvg(confusionChart(model.details[0])!, { idPrefix: 'confusion-1' });
    for (const svg of [curves, confusion]) {
      expect(svg.startsWith('<svg')).toBe(true);
      expect(svg).not.toMatch(/(href|src)="(https?:)?\/\//);
      expect(svg).not.toMatch(/url\((['"])?https?:|@import|@font-face|<image|<script/);
    }
    expect(curves).toContain('>optimizer.lr=0.01</text>');
    expect(curves).toContain('>Accuracy</text>');
    expect(confusion).toContain('>bird</text>');
    expect(confusion).toContain('id="confusion-1-gradient_0"');
    expect(confusion).toContain('url(#confusion-1-gradient_0)');
  });

  it('refuses data from URLs: charts use inline data only', async () => {
    const spec = { data: { url: 'https://example.com/x.json' }, mark: 'point' as const, encoding: {} };
    await expect(renderChartSvg(spec, { idPrefix: 'x' })).rejects.toThrow(/inline data only; refused to load https:\/\/example.com\/x.json/);
  });
});

describe('prefixIds', () => {
  it('renames ids and their references, nothing else', () => {
    const svg = '<svg><clipPath id="clip1"/><g clip-path="url(#clip1)"/><use href="#clip1"/><g fill="url(#other)"/></svg>';
    expect(prefixIds(svg, 'c')).toBe('<svg><clipPath id="c-clip1"/><g clip-path="url(#c-clip1)"/><use href="#c-clip1"/><g fill="url(#other)"/></svg>');
  });
});
