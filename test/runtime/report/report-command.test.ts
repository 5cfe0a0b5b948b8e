import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../../bin/cli.js';
import { FIXTURES, FIXTURE_RESULTS } from './helpers.js';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'sweepspec-report-cli-'));
});
afterAll(async () => rm(work, { recursive: true, force: true }));

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    const code = await main(['node', 'sweepspec', 'report', ...args]);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('sweepspec report', () => {
  it('writes the asked format from a results folder and prints the path', async () => {
    const out = path.join(work, 'tables.json');
    const result = await cli(FIXTURE_RESULTS, '--format', 'json', '--out', out);
    expect(result).toEqual({ code: 0, stdout: `${out}\n`, stderr: '' });
    expect(JSON.parse(await readFile(out, 'utf8')).name).toBe('fixture-study');
  });

  it('writes Markdown with its charts and thumbnails as PNG files beside it', async () => {
    const out = path.join(work, 'md', 'study.md');
    const result = await cli(FIXTURE_RESULTS, '--format', 'md', '--out', out);
    expect(result.code, result.stderr).toBe(0);
    const markdown = await readFile(out, 'utf8');
    const linked = [...markdown.matchAll(/\]\((study-files\/[^)]+\.png)\)/g)].map((m) => m[1]);
    expect(linked).toEqual([
      'study-files/curves-1.png',
      'study-files/curves-2.png',
      'study-files/confusion-1.png',
      'study-files/mistake-1-1.png',
      'study-files/mistake-1-2.png',
      'study-files/confusion-2.png',
    ]);
    for (const file of linked) {
      const meta = await sharp(path.join(work, 'md', file)).metadata();
      expect(meta.format).toBe('png');
      expect(meta.width).toBeGreaterThan(file.includes('mistake') ? 100 : 300);
    }
  });

  it('finds <results>/<spec name>/ from a spec', async () => {
    const spec = path.join(work, 'fixture-study.yaml');
    const data = path.relative(work, path.join(FIXTURES, 'data'));
    await writeFile(
      spec,
      `version: 1\nname: fixture-study\ndata: { root: ${data}, train: test, test: test }\nexperiments:\n  lr:\n    matrix:\n      optimizer.lr: [0.1, 0.01]\n`,
    );
    const out = path.join(work, 'from-spec.csv');
    const result = await cli(spec, '--results', path.dirname(FIXTURE_RESULTS), '--format', 'csv', '--out', out);
    expect(result.code, result.stderr).toBe(0);
    // The compiled spec is reported on: its two runs have no results in the folder yet.
    const rows = (await readFile(out, 'utf8')).trimEnd().split('\r\n').slice(1);
    expect(rows.map((row) => row.split(',').slice(0, 1).concat(row.split(',')[3]))).toEqual([
      ['lr', 'pending'],
      ['lr', 'pending'],
    ]);
  });

  it('says what is wrong with a folder that holds no plan, and exits 2', async () => {
    const parent = await cli(path.dirname(FIXTURE_RESULTS));
    expect(parent.code).toBe(2);
    expect(parent.stderr).toContain(`holds the results of 1 spec; name one: ${FIXTURE_RESULTS}`);
    const missing = await cli(path.join(work, 'nowhere'));
    expect(missing).toMatchObject({ code: 2, stderr: `sweepspec: ${path.join(work, 'nowhere')}: no such spec file or results folder\n` });
    const badRun = await cli(FIXTURE_RESULTS, '--run', 'nope', '--format', 'csv', '--out', path.join(work, 'x.csv'));
    expect(badRun).toMatchObject({ code: 2, stderr: 'sweepspec: --run nope: no run of plan fixture-study has this id or name\n' });
    const badFormat = await cli(FIXTURE_RESULTS, '--format', 'pdf');
    expect(badFormat.code).toBe(2);
  });

  it('uses partials from --templates over the built-in ones', async () => {
    const templates = path.join(work, 'templates');
    await (await import('node:fs/promises')).mkdir(templates);
    await writeFile(path.join(templates, 'notes.hbs'), '<section data-section="my-notes">{{notes.length}} notes, mine</section>');
    const out = path.join(work, 'custom.html');
    const result = await cli(FIXTURE_RESULTS, '--templates', templates, '--out', out);
    expect(result.code, result.stderr).toBe(0);
    const html = await readFile(out, 'utf8');
    expect(html).toContain('<section data-section="my-notes">1 notes, mine</section>');
    expect(html).toContain('data-section="summary"');
    const none = await cli(FIXTURE_RESULTS, '--templates', path.join(work, 'no-such-dir'), '--out', out);
    expect(none).toMatchObject({ code: 2, stderr: `sweepspec: --templates ${path.join(work, 'no-such-dir')}: no such directory\n` });
  });
});
