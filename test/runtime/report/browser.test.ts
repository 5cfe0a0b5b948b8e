/**
 * Opens HTML reports in Debian's chromium (driven by playwright-core, never a
 * downloaded browser): every section and chart the model calls for is on the
 * page, thumbnails decode, the console stays clean, and the page requests
 * nothing besides itself. Two sweeps: the results of a small real
 * `sweepspec run` (fixtures/real, see import-real-sweep.ts) and the
 * hand-written one with failed, pending and interrupted runs. Screenshots go
 * to a temp dir (the real sweep's also to docs/report-screenshot.png with
 * UPDATE_SCREENSHOT=1). Skipped, saying so, where chromium is not installed.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext } from 'playwright-core';
import { writeReport } from '../../../runtime/report/write-report.js';
import { FIXTURES, FIXTURE_RESULTS } from './helpers.js';

const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
  (candidate): candidate is string => !!candidate && existsSync(candidate),
);
const SKIP = CHROMIUM ? '' : ' (skipped: no chromium at /usr/bin/chromium; apt-get install -y chromium, as .ci/run does)';
const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');
const REAL_RESULTS = path.join(FIXTURES, 'real', 'tiny-report');

let work = '';
let context: BrowserContext | undefined;

beforeAll(async () => {
  if (!CHROMIUM) return;
  work = await mkdtemp(path.join(os.tmpdir(), 'sweepspec-report-browser-'));
  context = await chromium.launchPersistentContext(path.join(work, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
    viewport: { width: 1280, height: 900 },
  });
});
afterAll(async () => {
  await context?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

async function openReport(resultsDir: string, name: string) {
  const report = await writeReport({ resultsDir, format: 'html', out: path.join(work, `${name}.html`), version: '0.0.0-test', checkLeases: false });
  const page = await context!.newPage();
  const pageUrl = pathToFileURL(report.path).href;
  const consoleMessages: string[] = [];
  const requests: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') consoleMessages.push(message.text());
  });
  page.on('pageerror', (error) => consoleMessages.push(error.message));
  page.on('request', (request) => {
    if (request.url() !== pageUrl && !request.url().startsWith('data:')) requests.push(request.url());
  });
  await page.goto(pageUrl, { waitUntil: 'load' });
  return { page, model: report.model, consoleMessages, requests };
}

describe('HTML report in a browser', () => {
  for (const sweep of [
    { name: 'real', title: 'a small real sweep', dir: REAL_RESULTS },
    { name: 'fixture', title: 'the hand-written sweep with failed, pending and interrupted runs', dir: FIXTURE_RESULTS },
  ]) {
    it.skipIf(!CHROMIUM)(`shows ${sweep.title} offline with every section and chart${SKIP}`, async () => {
      const { page, model, consoleMessages, requests } = await openReport(sweep.dir, sweep.name);
      const count = (selector: string) => page.locator(selector).count();
      const withCurves = model.experiments.filter((e) => e.curves.length).length;
      const withMatrix = model.details.filter((d) => d.confusion).length;
      const gallery = model.details.reduce((n, d) => n + d.gallery.length, 0);
      expect(withCurves).toBeGreaterThan(0);
      expect(withMatrix).toBeGreaterThan(0);
      expect(gallery).toBeGreaterThan(0);

      expect(await count('[data-section="summary"]')).toBe(1);
      expect(await count('[data-section="experiment"]')).toBe(model.experiments.length);
      expect(await count('[data-section="run-detail"]')).toBe(model.details.length);
      expect(await count('[data-section="mistakes"]')).toBe(withMatrix);
      expect(await count('[data-section="failed"]')).toBe(model.failed.length ? 1 : 0);
      expect(await count('[data-section="notes"]')).toBe(model.notes.length ? 1 : 0);
      expect(await count('[data-chart="learning-curves"] svg')).toBe(withCurves);
      expect(await count('[data-chart="confusion-matrix"] svg')).toBe(withMatrix);
      expect(await count('table.comparison tr.best')).toBe(
        model.experiments.reduce((n, e) => n + e.rows.filter((r) => r.is_best).length + e.groups.filter((g) => g.is_best).length, 0),
      );
      // Thumbnails decode from data: URIs; charts are laid out.
      const widths = await page.locator('.gallery img').evaluateAll((images) => images.map((i) => (i as HTMLImageElement).naturalWidth));
      expect(widths).toEqual(Array(gallery).fill(112));
      const charts = await page.locator('figure.chart svg').evaluateAll((svgs) => svgs.map((s) => s.getBoundingClientRect().width));
      expect(charts.every((width) => width > 100)).toBe(true);

      const shot = path.join(work, `${sweep.name}.png`);
      await page.screenshot({ path: shot, fullPage: true });
      expect((await stat(shot)).size).toBeGreaterThan(10_000);
      if (process.env.UPDATE_SCREENSHOT && sweep.name === 'real') {
        await copyFile(shot, path.join(REPO, 'docs', 'report-screenshot.png'));
      }
      expect(consoleMessages).toEqual([]);
      expect(requests).toEqual([]);
      await page.close();
    });
  }
});
