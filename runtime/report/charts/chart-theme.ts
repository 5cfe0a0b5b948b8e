/** Shared Vega-Lite config: system fonts only (no web fonts to fetch), quiet axes, print-friendly colours. */
import type { Config } from 'vega-lite';

export const FONT = 'DejaVu Sans, Helvetica, Arial, sans-serif';

export const CHART_CONFIG: Config = {
  font: FONT,
  background: 'white',
  view: { stroke: '#d0d7de' },
  axis: { labelColor: '#3d4450', titleColor: '#1f2328', gridColor: '#eaeef2', domainColor: '#8c959f', tickColor: '#8c959f', labelFontSize: 11, titleFontSize: 11, titleFontWeight: 600 },
  legend: { labelColor: '#3d4450', titleColor: '#1f2328', labelFontSize: 11, titleFontSize: 11, labelLimit: 220 },
  header: { labelFontSize: 12, labelFontWeight: 600, labelColor: '#1f2328', titleFontSize: 0 },
  title: { fontSize: 13, fontWeight: 600, color: '#1f2328', anchor: 'start' },
};

/** A categorical scheme with enough colours for the count, so neighbouring runs stay distinguishable. */
export function categoricalScheme(count: number): 'tableau10' | 'tableau20' {
  return count <= 10 ? 'tableau10' : 'tableau20';
}
