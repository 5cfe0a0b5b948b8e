import sharp from 'sharp';
import { confusionChart } from '../../report/charts/confusion-chart.js';
import { renderChartSvg } from '../../report/charts/render-chart.js';

export interface EncodedImage {
  readonly png: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly channels: 3 | 4;
}

/**
 * The confusion matrix as a PNG: the report's own chart (rows true classes,
 * columns predicted, counts in the cells), rendered to SVG by vega and
 * rasterised by sharp. Deterministic for the same matrix.
 */
export async function confusionImage(options: { runName: string; classes: readonly string[]; confusion: readonly (readonly number[])[] }): Promise<EncodedImage | null> {
  const spec = confusionChart({ name: options.runName, classes: options.classes, confusion: options.confusion });
  if (!spec) return null;
  const svg = await renderChartSvg(spec, { idPrefix: 'confusion' });
  const { data, info } = await sharp(Buffer.from(svg), { density: 144 }).flatten({ background: '#ffffff' }).png().toBuffer({ resolveWithObject: true });
  return { png: new Uint8Array(data), width: info.width, height: info.height, channels: info.channels === 4 ? 4 : 3 };
}
