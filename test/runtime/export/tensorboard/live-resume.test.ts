import { spawn } from 'node:child_process';
import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportTensorboard } from '../../../../runtime/export/tensorboard/export-tensorboard.js';
import { decodeMessage, EventMessage } from '../../../../runtime/export/tensorboard/protos.js';
import { runDirName, tensorboardDir } from '../../../../runtime/export/tensorboard/tensorboard-paths.js';
import { readRecords } from '../../../../runtime/export/tensorboard/tfrecord.js';
import { readEpochMetrics } from '../../../../runtime/results/metrics-log.js';
import { runPaths, specPaths } from '../../../../runtime/results/run-paths.js';
import { Random } from '../../../../runtime/random.js';
import { fakeConfig, fakePlan } from '../../runner/fixtures/plan.js';

const child = join(import.meta.dirname, 'fixtures', 'live-child.ts');
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tb-resume-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function runner(args: string[], killAfterMs: number | null): Promise<number | string> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    proc.stdout.on('data', (chunk: Buffer) => {
      if (killAfterMs !== null && chunk.toString().includes('started')) setTimeout(() => proc.kill('SIGKILL'), killAfterMs);
    });
    proc.on('error', reject);
    proc.on('exit', (code, signal) => resolve(signal ?? code ?? -1));
  });
}

/** The epoch steps of an event file's complete records, in file order. */
function epochSteps(bytes: Uint8Array): number[] {
  return readRecords(bytes)
    .records.map((r) => decodeMessage(EventMessage, r) as { step?: number; summary?: { value: { tag: string }[] } })
    .filter((e) => e.summary?.value?.some((v) => v.tag === 'train/loss'))
    .map((e) => e.step!);
}

describe('live TensorBoard files under kill -9', () => {
  // 6 SIGKILLed attempts and a final one, each a Node + tsx process: about 10 s on an idle machine.
  it('show every epoch once, in order, drop epochs trained again, and end as the export of the same results (one file, no growth)', async () => {
    const plan = fakePlan('killed', [fakeConfig({ seed: 5, epochs: 24 })]);
    const run = plan.runs[0];
    const planPath = join(dir, 'plan.json');
    await writeFile(planPath, JSON.stringify(plan));
    const results = join(dir, 'results');
    const spec = specPaths(results, plan.name);
    const runDir = join(tensorboardDir(spec.root), runDirName(run));
    const random = new Random(20261202);
    const paths = runPaths(spec, run.id);
    let kills = 0;
    let orphans = 0;
    for (let attempt = 0; attempt < 6; attempt++) {
      const outcome = await runner([planPath, results, '3'], Math.floor(random.uniform(5, 60)));
      if (outcome === 'SIGKILL') kills++;
      const names = (await readdir(runDir).catch(() => [])).filter((n) => n.includes('tfevents'));
      expect(names.length).toBeLessThanOrEqual(1);
      if (names.length === 0) continue;
      const steps = epochSteps(await readFile(join(runDir, names[0])));
      expect(steps).toEqual(steps.map((_, i) => i + 1)); // never a step twice, never out of order
      // The dead runner may have logged an epoch whose checkpoint never landed (it is trained again,
      // with other values and times): put one in metrics.jsonl and the event file, as it would have.
      const metrics = await readEpochMetrics(paths.metrics);
      if (outcome !== 'SIGKILL' || metrics.length === 0 || metrics.length >= 24) continue;
      await appendFile(paths.metrics, `${JSON.stringify({ ...metrics.at(-1)!, epoch: metrics.length + 1, train_loss: 999, seconds: 7 })}\n`);
      await exportTensorboard({ plan, studyDir: spec.root, outDir: tensorboardDir(spec.root) });
      orphans++;
    }
    expect(orphans).toBeGreaterThanOrEqual(3);
    expect(kills).toBeGreaterThanOrEqual(5);
    expect(await runner([planPath, results, '3'], null)).toBe(0);

    const names = (await readdir(runDir)).filter((n) => n.includes('tfevents'));
    expect(names).toHaveLength(1);
    const live = await readFile(join(runDir, names[0]));
    expect(readRecords(live).problem).toBeUndefined();
    expect(epochSteps(live)).toEqual((await readEpochMetrics(paths.metrics)).map((m) => m.epoch));
    expect(live.includes(Buffer.from(new Float32Array([999]).buffer))).toBe(false); // the orphan epochs' loss is gone
    expect(epochSteps(live)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    const exported = join(dir, 'exported');
    await exportTensorboard({ plan, studyDir: spec.root, outDir: exported });
    // A damaged record is named and left out; the export goes on without it.
    await writeFile(paths.record, '{"id": ');
    const damaged = await exportTensorboard({ plan, studyDir: spec.root, outDir: join(dir, 'damaged') });
    expect(damaged).toMatchObject({ written: 0, problems: [{ run: `${run.id} (${run.name})`, message: expect.stringContaining(paths.dir) }] });
    const [again] = await readdir(join(exported, runDirName(run)));
    expect(live.equals(await readFile(join(exported, runDirName(run), again)))).toBe(true);
  }, 120_000);
});
