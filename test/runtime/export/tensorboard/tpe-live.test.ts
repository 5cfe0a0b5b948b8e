import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileFile } from '../../../../bin/load-plan.js';
import { exportTensorboard } from '../../../../runtime/export/tensorboard/export-tensorboard.js';
import { decodeMessage, EventMessage, HParamsPluginDataMessage } from '../../../../runtime/export/tensorboard/protos.js';
import { tensorboardDir } from '../../../../runtime/export/tensorboard/tensorboard-paths.js';
import { readRecords } from '../../../../runtime/export/tensorboard/tfrecord.js';
import { specPaths } from '../../../../runtime/results/run-paths.js';

// One runner process with the fake executor (milliseconds per step) and the live writer: ~5 s, mostly Node and tsx start-up.
const child = join(import.meta.dirname, 'fixtures', 'live-child.ts');
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tb-tpe-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const SPEC = `version: 1
name: tpe-tb
data: { root: ${join(import.meta.dirname, '..', '..', '..', '..', 'data', 'fmnist-mini')}, image_size: 32 }
defaults: { epochs: 2 }
experiments:
  tuned:
    search: { method: tpe, samples: 5, startup: 2, seed: 5 }
    matrix:
      optimizer:
        - { name: sgd, set: { optimizer.type: sgd } }
        - { name: adam, set: { optimizer.type: adam } }
      optimizer.lr: { loguniform: [0.01, 0.6] }
`;

type Summary = { value?: { tag: string; metadata?: { plugin_data?: { content: number[] } } }[] };
async function hparamsData(file: string, tag: string): Promise<Record<string, unknown>> {
  const events = readRecords(await readFile(file)).records.map((r) => decodeMessage(EventMessage, r) as { summary?: Summary });
  const value = events.flatMap((e) => e.summary?.value ?? []).find((v) => v.tag === tag)!;
  return decodeMessage(HParamsPluginDataMessage, Uint8Array.from(value.metadata!.plugin_data!.content));
}
const eventFile = async (folder: string) => join(folder, (await readdir(folder)).find((n) => n.includes('tfevents'))!);

describe('live TensorBoard files of a tpe search', () => {
  it('declare its params as domains and give proposed runs their sessions, as the export does', async () => {
    const specPath = join(dir, 'tpe.yaml');
    await writeFile(specPath, SPEC);
    const plan = compileFile(specPath, { dataCheck: 'off' }).plan!;
    expect(plan.runs).toHaveLength(2); // the startup draws; three more are proposed while the sweep runs
    const planPath = join(dir, 'plan.json');
    await writeFile(planPath, JSON.stringify(plan));
    const results = join(dir, 'results');
    const code = await new Promise((resolve, reject) => {
      const proc = spawn(process.execPath, ['--import', 'tsx', child, planPath, results, '1'], { stdio: ['ignore', 'ignore', 'inherit'] });
      proc.on('error', reject);
      proc.on('exit', (exit) => resolve(exit));
    });
    expect(code).toBe(0);
    const root = tensorboardDir(specPaths(results, plan.name).root);
    const experiment = (await hparamsData(await eventFile(root), '_hparams_/experiment')) as { experiment: { hparam_infos: unknown[] } };
    expect(experiment.experiment.hparam_infos).toMatchObject([
      { name: 'optimizer', description: 'variant axis `optimizer` of experiment tuned', type: 'DATA_TYPE_STRING', domain_discrete: { values: [{ string_value: 'sgd' }, { string_value: 'adam' }] }, domain: 'domain_discrete' },
      { name: 'optimizer.lr', description: '`optimizer.lr`: float from 0.01 to 0.6 (tpe search), in experiment tuned', type: 'DATA_TYPE_FLOAT64', domain_interval: { min_value: 0.01, max_value: 0.6 }, domain: 'domain_interval' },
    ]);
    const folders = (await readdir(root, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(folders).toHaveLength(5);
    for (const folder of folders) {
      const start = (await hparamsData(await eventFile(join(root, folder)), '_hparams_/session_start_info')) as { session_start_info: { hparams: Record<string, unknown> } };
      expect(Object.keys(start.session_start_info.hparams).sort(), folder).toEqual(['optimizer', 'optimizer.lr']);
    }
    // Without a spec at hand: the plan's tpe params give the same domains, and the files the same bytes.
    const exported = join(dir, 'exported');
    expect(await exportTensorboard({ plan, studyDir: specPaths(results, plan.name).root, outDir: exported })).toEqual({ written: 5, notStarted: 0, problems: [] });
    for (const folder of ['', ...folders]) {
      expect((await readFile(await eventFile(join(exported, folder)))).equals(await readFile(await eventFile(join(root, folder)))), folder).toBe(true);
    }
  }, 60_000);
});
