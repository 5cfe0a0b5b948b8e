import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileFile } from '../../../bin/load-plan.js';
import { loadReportModel } from '../../../runtime/report/write-report.js';
import { renderMarkdown } from '../../../runtime/report/render-markdown.js';
import { runSweep } from '../../../runtime/runner/run-sweep.js';
import { readSweepStatus } from '../../../runtime/runner/sweep-status.js';
import { readSearchProgress } from '../../../runtime/search/read-search-progress.js';
import { formatSearchProgress } from '../../../runtime/search/search-progress.js';
import { withProposals } from '../../../runtime/search/with-proposals.js';
import { createFakeExecutor } from '../runner/fixtures/fake-executor.js';

// In-process sweep with the fake executor (1 ms steps): ~2 s.
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tpe-progress-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a finished tpe search in status and the report', () => {
  it('lists its runs in proposal order with the best so far and what each proposal came from', async () => {
    const spec = join(dir, 'tpe.yaml');
    await writeFile(
      spec,
      `version: 1
name: progress
data: { root: ${join(import.meta.dirname, '..', '..', '..', 'data', 'fmnist-mini')} }
defaults: { epochs: 2 }
experiments:
  tuned:
    search: { method: tpe, samples: 6, startup: 3, seed: 2 }
    matrix:
      optimizer.lr: { loguniform: [0.01, 0.6] }
`,
    );
    const compiled = compileFile(spec, { dataCheck: 'off' }).plan!;
    const results = join(dir, 'results');
    const summary = await runSweep({
      plan: compiled, specDir: dir, resultsDir: results, selection: {}, jobs: 1, backend: 'cpu',
      executor: createFakeExecutor({ stepMs: 1 }), signal: new AbortController().signal,
    });
    expect(summary.selected).toBe(6);
    expect(Object.values(summary.statuses)).toEqual(Array(6).fill('completed'));

    const { plan, proposals } = await withProposals(compiled, join(results, compiled.name));
    expect(plan.experiments[0].runs).toHaveLength(6);
    const rows = await readSweepStatus(plan, results);
    expect(rows.map((r) => r.status)).toEqual(Array(6).fill('completed'));
    const [search] = await readSearchProgress(plan, proposals, results, rows);
    expect(search.rows.map((r) => r.how)).toEqual(['draw', 'draw', 'draw', 'tpe', 'tpe', 'tpe']);
    expect(search.rows.map((r) => r.run)).toEqual(plan.experiments[0].runs);
    for (let i = 0; i < 6; i++) {
      const upTo = search.rows.slice(0, i + 1).map((r) => r.value!);
      expect(search.rows[i].best).toBe(Math.max(...upTo));
    }
    expect(search.rows[5].from!.below.length + search.rows[5].from!.above.length).toBe(5);
    const text = formatSearchProgress([search]);
    expect(text).toContain('tuned: tpe search, 6 runs (3 startup draws), maximize val_accuracy');
    expect(text).toContain(`l: ${search.rows[5].from!.below.join(' ')}`);

    // The fake executor's evaluation.json is not a real TestEvaluation; the report reads runs without one.
    for (const id of plan.experiments[0].runs) await rm(join(results, compiled.name, 'runs', id, 'evaluation.json'));
    const model = await loadReportModel(join(results, compiled.name), { checkLeases: false });
    expect(model.experiments[0].rows).toHaveLength(6);
    expect(model.experiments[0].search?.rows.map((r) => r.best)).toEqual(search.rows.map((r) => r.best));
    const { markdown, images } = renderMarkdown(model, { assetDir: 'files' });
    expect(markdown).toContain('### Search in proposal order');
    expect(images.map((i) => i.file)).toContain('files/search-1.png');
  });
});
