/**
 * Opens the HTML report in Debian's chromium (driven by playwright-core, never
 * a downloaded browser): every section and chart is there, the console stays
 * clean, and the page makes no request besides itself. Saves a screenshot to
 * a temp dir (and to docs/report-screenshot.png with UPDATE_SCREENSHOT=1).
 * Skipped, saying so, where chromium is not installed.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { chromium } from 'playwright-core';
import { writeReport } from '../../../runtime/report/write-report.js';
import { FIXTURE_RESULTS } from './helpers.js';

const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
  (candidate): candidate is string => !!candidate && existsSync(candidate),
);
const SKIP_REASON = 'skipped: no chromium at /usr/bin/chromium (apt-get install -y chromium, as .ci/run does)';
const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');
const temps: string[] = [];
afterAll(async () => Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true }))));

describe('HTML report in a browser', () => {
  it.skipIf(!CHROMIUM)(`opens offline with every section and chart${CHROMIUM ? '' : ` (${SKIP_REASON})`}`, async () => {
    const work = await mkdtemp(path.join(os.tmpdir(), 'sweepspec-report-browser-'));
    temps.push(work);
    const report = await writeReport({
      resultsDir: FIXTURE_RESULTS,
      format: 'html',
      out: path.join(work, 'report.html'),
      version: '0.0.0-test',
    });
    const context = await chromium.launchPersistentContext(path.join(work, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ],
      viewport: { width: 1280, height: 900 },
    });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      const pageUrl = pathToFileURL(report.path).href;
      const consoleErrors: string[] = [];
      const requests: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') consoleErrors.push(message.text());
      });
      page.on('pageerror', (error) => consoleErrors.push(error.message));
      page.on('request', (request) => {
        const url = request.url();
        if (url !== pageUrl && !url.startsWith('data:')) requests.push(url);
      });
      await page.goto(pageUrl, { waitUntil: 'load' });

      const count = (selector: string) => page.locator(selector).count();
      expect(await count('[data-section="summary"]')).toBe(1);
      expect(await count('[data-section="experiment"]')).toBe(2);
      expect(await count('[data-section="run-detail"]')).toBe(2);
      expect(await count('[data-section="mistakes"]')).toBe(2);
      expect(await count('[data-section="failed"]')).toBe(1);
      expect(await count('[data-section="notes"]')).toBe(1);
      expect(await count('[data-chart="learning-curves"] svg')).toBe(2);
      expect(await count('[data-chart="confusion-matrix"] svg')).toBe(2);
      expect(await count('table.comparison tr.best')).toBe(3);
      // The gallery's thumbnails decode (data: URIs, nothing fetched).
      const thumbnails = await page.locator('.gallery img').evaluateAll((images) =>
        images.map((image) => (image as HTMLImageElement).naturalWidth),
      );
      expect(thumbnails).toEqual([112, 112]);
      const charts = await page.locator('figure.chart svg').evaluateAll((svgs) =>
        svgs.map((svg) => svg.getBoundingClientRect().width),
      );
      expect(charts.every((width) => width > 100)).toBe(true);

      const shot = path.join(work, 'report.png');
      await page.screenshot({ path: shot, fullPage: true });
      expect((await stat(shot)).size).toBeGreaterThan(10_000);
      if (process.env.UPDATE_SCREENSHOT) await copyFile(shot, path.join(REPO, 'docs', 'report-screenshot.png'));

      expect(consoleErrors).toEqual([]);
      expect(requests).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
