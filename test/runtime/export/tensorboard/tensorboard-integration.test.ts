/**
 * TensorBoard itself reads what sweepspec writes: a small sweep trained with
 * the live writer, then Python TensorBoard 2.x started on the study's results
 * folder and asked over HTTP (scalars, images and hparams plugin routes) for
 * every run's curves and the HParams table, checked against metrics.jsonl,
 * evaluation.json and the plan; TensorBoard's EventAccumulator reads the same
 * files; and `sweepspec export tensorboard` writes the same bytes after the
 * fact; the HParams dashboard in headless chromium lists every run. Cost: three
 * runs of two epochs with the tests' tiny network (about 10 s of CPU), one
 * TensorBoard process and one browser (a few seconds each). Skipped, saying why,
 * where TensorBoard is not installed; under CI=true that is a failure.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadedPlan } from '../../../../bin/load-plan.js';
import { studyHParams } from '../../../../runtime/export/tensorboard/study-hparams.js';
import { EPOCH_TAGS, TABLE_METRICS, TEST_TAGS } from '../../../../runtime/export/tensorboard/tags.js';
import { runDirName, tensorboardDir } from '../../../../runtime/export/tensorboard/tensorboard-paths.js';
import { readEpochMetrics } from '../../../../runtime/results/metrics-log.js';
import { readJsonFile } from '../../../../runtime/results/record-file.js';
import type { EpochMetrics, TestEvaluation } from '../../../../runtime/results/records.js';
import { runPaths, specPaths, type SpecPaths } from '../../../../runtime/results/run-paths.js';
import { SKIP_TENSORBOARD, startTensorboard, TENSORBOARD, TENSORBOARD_MISSING, type TensorboardServer, waitFor } from '../../../helpers/tensorboard-server.js';
import { trainWithTensorboard, writeTensorboardStudy } from './fixtures/tensorboard-study.js';

const exec = promisify(execFile);
const BIN = join(import.meta.dirname, '..', '..', '..', '..', 'bin', 'sweepspec.js');
const SKIP = SKIP_TENSORBOARD ? ` (skipped: ${TENSORBOARD_MISSING})` : '';
const f32 = Math.fround;
const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((c): c is string => !!c && existsSync(c));

interface RunData {
  readonly id: string;
  readonly tbRun: string;
  readonly history: EpochMetrics[];
  readonly evaluation: TestEvaluation;
}

describe.skipIf(SKIP_TENSORBOARD)(`TensorBoard reads a sweep's files${SKIP}`, () => {
  let dir: string;
  let loaded: LoadedPlan;
  let spec: SpecPaths;
  let runs: RunData[];
  let server: TensorboardServer | null = null;

  beforeAll(async () => {
    if (!TENSORBOARD) throw new Error(`TensorBoard is required here (CI=true or SWEEPSPEC_REQUIRE_TENSORBOARD=1): ${TENSORBOARD_MISSING}`);
    dir = await mkdtemp(join(tmpdir(), 'tb-integration-'));
    const results = join(dir, 'results');
    spec = specPaths(results, 'tb');
    // TensorBoard watches the folder from before the sweep starts, as a user watching it live:
    // what it shows at the end was read as the files grew (appends, the status written at the end).
    await mkdir(spec.root, { recursive: true });
    server = await startTensorboard(spec.root); // what users do: tensorboard --logdir results/<study>
    ({ loaded } = await trainWithTensorboard(await writeTensorboardStudy(dir), results));
    expect(loaded.plan.name).toBe('tb');
    runs = [];
    for (const run of loaded.plan.runs) {
      const paths = runPaths(spec, run.id);
      runs.push({ id: run.id, tbRun: `tensorboard/${runDirName(run)}`, history: await readEpochMetrics(paths.metrics), evaluation: (await readJsonFile<TestEvaluation>(paths.evaluation))! });
    }
  }, 600_000); // minutes only on a machine running the whole suite on two cores

  afterAll(async () => {
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('lists every run and serves its curves as metrics.jsonl has them, and its test metrics and confusion matrix', async () => {
    const tb = server!;
    const expectedRuns = runs.map((r) => r.tbRun);
    type Tags = Record<string, Record<string, unknown>>;
    const tags = await waitFor(
      () => tb.get('/data/plugin/scalars/tags') as Promise<Tags>,
      (t) => expectedRuns.every((run) => Object.keys(t[run] ?? {}).length === EPOCH_TAGS.length + TEST_TAGS.length),
      'the scalars of every run',
    );
    expect(Object.keys(tags).sort()).toEqual([...expectedRuns].sort());
    for (const run of runs) {
      expect(run.history.map((m) => m.epoch)).toEqual([1, 2]);
      for (const { tag, field } of EPOCH_TAGS) {
        const points = (await tb.get(`/data/plugin/scalars/scalars?run=${encodeURIComponent(run.tbRun)}&tag=${encodeURIComponent(tag)}`)) as [number, number, number][];
        expect(points.map(([, step, value]) => [step, value]), `${run.tbRun} ${tag}`).toEqual(run.history.map((m) => [m.epoch, f32(m[field])]));
      }
      for (const { tag, field } of TEST_TAGS) {
        const points = (await tb.get(`/data/plugin/scalars/scalars?run=${encodeURIComponent(run.tbRun)}&tag=${encodeURIComponent(tag)}`)) as [number, number, number][];
        expect(points.map(([, step, value]) => [step, value]), `${run.tbRun} ${tag}`).toEqual([[run.evaluation.epoch, f32(run.evaluation[field] as number)]]);
      }
    }
    const images = (await tb.get('/data/plugin/images/tags')) as Record<string, Record<string, { samples: number }>>;
    for (const run of runs) expect(images[run.tbRun]?.['test/confusion_matrix']?.samples).toBe(1);
  });

  it('shows the HParams table: the plan\'s settings with their domains, every run\'s values, status and metrics', async () => {
    const tb = server!;
    const declared = studyHParams(loaded.plan, loaded.study);
    const experiment = (await tb.post('/data/plugin/hparams/experiment', { experimentName: '' })) as {
      hparamInfos: { name: string; type: string; domainDiscrete?: unknown[]; domainInterval?: { minValue: number; maxValue: number } }[];
      metricInfos: { name: { tag: string } }[];
    };
    expect(experiment.hparamInfos.map(({ name, type, domainDiscrete, domainInterval }) => ({ name, type, domainDiscrete, domainInterval }))).toEqual([
      { name: 'optimizer', type: 'DATA_TYPE_STRING', domainDiscrete: ['sgd-momentum', 'adam'], domainInterval: undefined },
      { name: 'optimizer.lr', type: 'DATA_TYPE_FLOAT64', domainDiscrete: undefined, domainInterval: { minValue: 0.001, maxValue: 0.1 } },
    ]);
    expect(experiment.metricInfos.map((m) => m.name.tag)).toEqual(TABLE_METRICS);
    expect([...TABLE_METRICS].sort()).toEqual([...EPOCH_TAGS, ...TEST_TAGS].map((t) => t.tag).sort());

    const request = {
      experimentName: '',
      allowedStatuses: ['STATUS_UNKNOWN', 'STATUS_SUCCESS', 'STATUS_FAILURE', 'STATUS_RUNNING'],
      colParams: [...declared.hparams.map((h) => ({ hparam: h.name })), { metric: { group: '', tag: 'test/accuracy' } }],
      startIndex: 0,
      sliceSize: 100,
    };
    type Groups = { sessionGroups: { name: string; hparams: Record<string, unknown>; metricValues: { name: { tag: string }; value: number }[]; sessions: { name: string; status: string }[] }[] };
    const groups = await waitFor(() => tb.post('/data/plugin/hparams/session_groups', request) as Promise<Groups>, (g) => g.sessionGroups.length === runs.length, 'a session group per run');
    for (const run of runs) {
      const group = groups.sessionGroups.find((g) => g.name === run.tbRun)!;
      expect(group, run.tbRun).toBeDefined();
      expect(group.hparams).toEqual(declared.values[run.id]);
      expect(group.sessions.map((s) => [s.name, s.status])).toEqual([[run.tbRun, 'STATUS_SUCCESS']]);
      expect(group.metricValues.find((m) => m.name.tag === 'test/accuracy')?.value).toBe(f32(run.evaluation.accuracy));
      expect(group.metricValues.find((m) => m.name.tag === 'validation/accuracy')?.value).toBe(f32(run.history.at(-1)!.val_accuracy));
    }
  });

  it('round-trips through TensorBoard\'s EventAccumulator', async () => {
    const script = join(import.meta.dirname, 'fixtures', 'read_events.py');
    const folders = loaded.plan.runs.map((run) => join(tensorboardDir(spec.root), runDirName(run)));
    const { stdout } = await exec(TENSORBOARD!.python, [script, ...folders]);
    type Read = { scalars: Record<string, [number, number][]>; images: Record<string, [number, number, number, number][]>; hparams: string[] };
    const all = JSON.parse(stdout) as Record<string, Read>;
    for (const [index, run] of runs.entries()) {
      const read = all[folders[index]];
      for (const { tag, field } of EPOCH_TAGS) expect(read.scalars[tag]).toEqual(run.history.map((m) => [m.epoch, f32(m[field])]));
      for (const { tag, field } of TEST_TAGS) expect(read.scalars[tag]).toEqual([[run.evaluation.epoch, f32(run.evaluation[field] as number)]]);
      const [[step, width, height, bytes]] = read.images['test/confusion_matrix'];
      expect([step, width > 50, height > 50, bytes > 1000]).toEqual([run.evaluation.epoch, true, true, true]);
      expect(read.hparams).toEqual(['_hparams_/session_end_info', '_hparams_/session_start_info']);
    }
  });

  it.skipIf(!CHROMIUM)(`shows every run in the HParams dashboard's table in a browser${CHROMIUM ? '' : ' (skipped: no chromium at /usr/bin/chromium)'}`, async () => {
    // TensorBoard's own UI in Debian's chromium (playwright-core, as the report's browser test): the
    // table lists every session with its settings. The screenshot goes to the temp folder.
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking'] });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await page.goto(`${server!.url}/#hparams`, { waitUntil: 'load' });
      const table = page.locator('tf-hparams-table-view, tf-hparams-session-group-values').first();
      await table.waitFor({ timeout: 60_000 });
      for (const run of runs) await page.getByText(run.tbRun, { exact: true }).first().waitFor({ timeout: 30_000 });
      for (const header of ['optimizer', 'optimizer.lr', 'validation/accuracy', 'test/accuracy']) {
        expect(await page.getByText(header, { exact: true }).count(), header).toBeGreaterThan(0);
      }
      await page.screenshot({ path: join(dir, 'hparams.png') });
    } finally {
      await browser.close();
    }
  }, 120_000);

  it('`sweepspec export tensorboard` writes the bytes the live writer wrote', async () => {
    const out = join(dir, 'exported');
    const { stdout } = await exec(process.execPath, [BIN, 'export', 'tensorboard', spec.root, '--out', out], { cwd: dir });
    expect(stdout).toContain(`${out}: ${loaded.plan.runs.length} runs`);
    const live = tensorboardDir(spec.root);
    for (const folder of ['', ...loaded.plan.runs.map(runDirName)]) {
      const read = async (root: string) => {
        const [name] = (await readdir(join(root, folder))).filter((n) => n.includes('tfevents'));
        return readFile(join(root, folder, name));
      };
      expect((await read(out)).equals(await read(live)), folder || 'the study file').toBe(true);
    }
  });
});

describe('sweepspec export tensorboard on bad input', () => {
  it('names the folder without plan.json and exits 2', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'tb-empty-'));
    try {
      const failed = await exec(process.execPath, [BIN, 'export', 'tensorboard', empty]).then(() => null, (error: { code: number; stderr: string }) => error);
      expect(failed?.code).toBe(2);
      expect(failed?.stderr).toContain(`${empty}: no plan.json here`);
      expect(await readdir(empty)).toEqual([]); // nothing written
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
