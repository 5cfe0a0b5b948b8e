/**
 * Vega-Lite spec -> standalone SVG text, in Node, without a browser or the
 * network: vega-lite compiles, a headless vega View renders to SVG. Inline
 * data only; the loader refuses every URL.
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

const offlineLoader = {
  ...vega.loader(),
  load: async (uri: string) => Promise.reject(new Error(`report charts use inline data only; refused to load ${uri}`)),
  sanitize: async (uri: string) => Promise.reject(new Error(`report charts use inline data only; refused to load ${uri}`)),
} as unknown as ReturnType<typeof vega.loader>;

export async function renderChartSvg(spec: TopLevelSpec, options: { idPrefix: string }): Promise<string> {
  const { spec: vegaSpec } = compile(spec);
  const view = new vega.View(vega.parse(vegaSpec), { renderer: 'none', loader: offlineLoader });
  try {
    const svg = await view.toSVG();
    return prefixIds(svg, options.idPrefix);
  } finally {
    view.finalize();
  }
}

/**
 * Vega numbers clip paths and gradients clip1, gradient1, ... in every SVG;
 * several SVGs inlined in one page would share them, so each gets a prefix.
 */
export function prefixIds(svg: string, prefix: string): string {
  const ids = new Set([...svg.matchAll(/\sid="([^"]+)"/g)].map((match) => match[1]));
  if (ids.size === 0) return svg;
  return svg
    .replace(/\sid="([^"]+)"/g, (_, id: string) => ` id="${prefix}-${id}"`)
    .replace(/url\(#([^)]+)\)/g, (whole, id: string) => (ids.has(id) ? `url(#${prefix}-${id})` : whole))
    .replace(/href="#([^"]+)"/g, (whole, id: string) => (ids.has(id) ? `href="#${prefix}-${id}"` : whole));
}
