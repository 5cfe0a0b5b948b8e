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

/** Collects vega's warnings and errors instead of printing them (library code never prints). */
function quietLogger(errors: string[]) {
  let level = vega.Warn;
  const logger = {
    level(value?: number) {
      if (value === undefined) return level;
      level = value;
      return logger;
    },
    error: (...args: unknown[]) => (errors.push(args.map(String).join(' ')), logger),
    // vega reports a failed data load as a warning and draws an empty chart.
    warn: (...args: unknown[]) => {
      const text = args.map(String).join(' ');
      if (/^(Loading|Data ingestion) failed/.test(text)) errors.push(text);
      return logger;
    },
    info: () => logger,
    debug: () => logger,
  };
  return logger;
}

/** Throws when vega reports an error (a refused URL, a bad expression) instead of drawing an empty chart. */
export async function renderChartSvg(spec: TopLevelSpec, options: { idPrefix: string }): Promise<string> {
  const { spec: vegaSpec } = compile(spec);
  const errors: string[] = [];
  const view = new vega.View(vega.parse(vegaSpec), {
    renderer: 'none',
    loader: offlineLoader,
    logger: quietLogger(errors) as unknown as vega.LoggerInterface,
  });
  try {
    const svg = await view.toSVG();
    if (errors.length) throw new Error(`chart ${options.idPrefix}: ${errors.join('; ')}`);
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
