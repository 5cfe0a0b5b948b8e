import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadPlan } from '../../../bin/load-plan.js';
import { readEpochMetrics } from '../../../runtime/results/metrics-log.js';
import { readRunRecord } from '../../../runtime/results/record-file.js';
import { runPaths, specPaths } from '../../../runtime/results/run-paths.js';
import { runSweep } from '../../../runtime/runner/run-sweep.js';
import { searchPaths } from '../../../runtime/search/proposal-record.js';
import { readSearchHistory } from '../../../runtime/search/read-observations.js';
import { createTinyTrainExecutor } from '../runner/fixtures/tiny-executor.js';

// The real training path (data loading, training, checkpoints, evaluation) on
// 8 train and 2 test images per class of the embedded data/fmnist-mini, 32 px,
// 2 epochs (ASHA rung at 1), with the tests' tiny conv net in place of ResNet18 on the cpu
// backend: 3 runs, ~15 s on an idle machine (most of it start-up per run).
const MINI = join(import.meta.dirname, '..', '..', '..', 'data', 'fmnist-mini');

async function copySample(to: string): Promise<void> {
  for (const [split, n] of [['train', 8], ['test', 2]] as const) {
    for (const label of (await readdir(join(MINI, split))).sort()) {
      await mkdir(join(to, split, label), { recursive: true });
      for (const file of (await readdir(join(MINI, split, label))).sort().slice(0, n)) await copyFile(join(MINI, split, label, file), join(to, split, label, file));
    }
  }
}
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tpe-train-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a tpe search that trains', () => {
  it('proposes from the trained runs (kept epoch, or last epoch when stopped early), and ranks its proposals at the rungs too', async () => {
    await copySample(join(dir, 'data'));
    const spec = join(dir, 'tpe.yaml');
    await writeFile(
      spec,
      `version: 1
name: tpe-train
data: { root: data, image_size: 32, batch_size: 16, validation: { fraction: 0.25 } }
defaults: { epochs: 2, optimizer: { type: sgd, momentum: 0.9 } }
experiments:
  tuned:
    search: { method: tpe, samples: 3, startup: 2, seed: 4 }
    early_termination: { type: asha, metric: val_accuracy, min_epochs: 1, reduction_factor: 2 }
    matrix:
      optimizer.lr: { loguniform: [1.0e-3, 0.5] }
`,
    );
    const { plan, specDir } = await loadPlan(spec, { checkData: true });
    const results = join(dir, 'results');
    const summary = await runSweep({
      plan, specDir, resultsDir: results, selection: {}, jobs: 1, backend: 'cpu',
      executor: createTinyTrainExecutor(), signal: new AbortController().signal,
    });
    expect(Object.values(summary.statuses).every((s) => s === 'completed' || s === 'stopped')).toBe(true);
    const store = specPaths(results, plan.name);
    const history = await readSearchHistory(store, searchPaths(store, 'tuned'), plan.experiments[0].search!);
    expect(history.finished).toBe(3);
    expect([...history.proposals.values()].map((p) => p.mode)).toEqual(['tpe']);
    for (const observation of history.observations) {
      const paths = runPaths(store, observation.run);
      const record = await readRunRecord(paths.record);
      const metrics = await readEpochMetrics(paths.metrics);
      const kept = record!.status === 'stopped' ? metrics.at(-1)! : metrics.find((m) => m.epoch === record!.best_epoch)!;
      expect(observation.state).toBe(record!.status);
      expect(observation.value).toBe(kept.val_accuracy);
    }
    // The proposal was ranked at rung 1 against the two planned runs.
    const proposal = [...history.proposals.values()][0];
    const decided = (await readRunRecord(runPaths(store, proposal.run).record))!.early_termination;
    expect(decided).toMatchObject({ rung: 1, count: 2 });
  }, 300_000); // generous: wall time on a loaded 2-core machine is several times the CPU time
});
