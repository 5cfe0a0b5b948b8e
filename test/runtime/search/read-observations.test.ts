import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileFile } from '../../../bin/load-plan.js';
import { writeJsonAtomic } from '../../../runtime/results/atomic-write.js';
import type { RunRecord } from '../../../runtime/results/records.js';
import { runPaths, specPaths } from '../../../runtime/results/run-paths.js';
import { searchPaths } from '../../../runtime/search/proposal-record.js';
import { readSearchHistory } from '../../../runtime/search/read-observations.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tpe-observations-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const metric = (epoch: number, val_accuracy: number) =>
  JSON.stringify({ epoch, train_loss: 1, train_accuracy: 0.5, val_loss: 1, val_accuracy, lr: 0.1, lr_end: 0.1, seconds: 1, images_per_second: 1 });

describe('what a tpe search reads from the results folder', () => {
  it('completed runs at their kept epoch, stopped runs (early termination) at their last epoch, failed runs as finished only, the rest pending', async () => {
    const spec = join(dir, 'tpe.yaml');
    await writeFile(
      spec,
      `version: 1
name: observed
data: { root: ${join(import.meta.dirname, '..', '..', '..', 'data', 'fmnist-mini')} }
defaults: { epochs: 4 }
experiments:
  tuned:
    search: { method: tpe, samples: 6, startup: 4, seed: 1 }
    early_termination: { type: asha, metric: val_accuracy, min_epochs: 1, reduction_factor: 2 }
    matrix:
      optimizer.lr: { loguniform: [0.001, 0.5] }
`,
    );
    const result = compileFile(spec, { dataCheck: 'off' });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]); // tpe with early termination compiles
    const plan = result.plan!;
    const search = plan.experiments[0].search!;
    const store = specPaths(join(dir, 'results'), plan.name);
    const write = async (id: string, record: Partial<RunRecord>, lines: string[]) => {
      const paths = runPaths(store, id);
      await mkdir(paths.dir, { recursive: true });
      await writeJsonAtomic(paths.record, { id, name: id, experiments: ['tuned'], epochs_completed: lines.length, ...record });
      await writeFile(paths.metrics, lines.map((l) => `${l}\n`).join(''));
    };
    const [a, b, c, d] = search.draws.map((draw) => draw.run);
    await write(a, { status: 'completed', best_epoch: 2 }, [metric(1, 0.4), metric(2, 0.7), metric(3, 0.6), metric(4, 0.65)]);
    await write(b, { status: 'stopped' }, [metric(1, 0.3), metric(2, 0.35)]);
    await write(c, { status: 'failed' }, []);
    // d: no record yet (pending)
    const history = await readSearchHistory(store, searchPaths(store, 'tuned'), search);
    expect(history.finished).toBe(3);
    expect(history.observations.map(({ run, state, value, progress }) => ({ run, state, value, progress }))).toEqual([
      { run: a, state: 'completed', value: 0.7, progress: undefined },
      { run: b, state: 'stopped', value: 0.35, progress: 2 },
      { run: d, state: 'pending', value: undefined, progress: undefined },
    ]);
  });
});
