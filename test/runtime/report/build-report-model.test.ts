import { describe, expect, it } from 'vitest';
import { loadPredictions, readResults } from '../../../runtime/report/read-results.js';
import { buildReportModel, detailRunIds, resolveRunIds } from '../../../runtime/report/build-report-model.js';
import { FIXTURE_RESULTS, expectGolden } from './helpers.js';

async function fixtureModel(requested: string[] = []) {
  const stored = await readResults({ dir: FIXTURE_RESULTS, checkLeases: false });
  const runs = resolveRunIds(stored.plan, requested);
  const withPredictions = await loadPredictions(stored, detailRunIds(stored, runs));
  return buildReportModel(withPredictions, { requestedRuns: runs });
}

describe('buildReportModel', () => {
  it('matches the golden model of the fixture sweep', async () => {
    const model = await fixtureModel();
    await expectGolden('report-model.json', `${JSON.stringify(model, null, 2)}\n`);
  });

  it('sorts by the selection metric and marks the best run', async () => {
    const model = await fixtureModel();
    const architectures = model.experiments[0];
    expect(architectures.rows.map((row) => [row.name, row.status, row.best_val_accuracy, row.is_best])).toEqual([
      ['arch=resnet18', 'completed', 0.67, true],
      ['arch=squeezenet1_1', 'completed', 0.56, false],
      ['arch=resnet34', 'failed', 0.33, false],
      ['arch=resnet50', 'pending', null, false],
    ]);
    expect(architectures.varying_axes).toEqual(['model.arch']);
    expect(architectures.best_run).toBe('a18000000001');
  });

  it('aggregates repeats to one row per configuration with mean, sample std and seed count', async () => {
    const model = await fixtureModel();
    const lr = model.experiments[1];
    expect(lr.repeats).toBe(true);
    expect(lr.varying_axes).toEqual(['optimizer.lr']);
    const [best, other] = lr.groups;
    expect(best.label).toBe('optimizer.lr=0.01');
    expect(best.is_best).toBe(true);
    expect(best.best_val_accuracy?.mean).toBeCloseTo(0.835, 10);
    expect(best.best_val_accuracy?.std).toBeCloseTo(Math.sqrt(2 * 0.055 ** 2), 10);
    expect(best.best_val_accuracy?.n).toBe(2);
    // The running run counts with the epochs it has; its test accuracy is not there yet.
    expect(other.status_counts).toEqual({ completed: 1, running: 1 });
    expect(other.best_val_accuracy?.n).toBe(2);
    expect(other.test_accuracy).toEqual({ mean: 4 / 6, std: null, n: 1 });
    // The best run of the best configuration is the detail run.
    expect(lr.best_run).toBe('b01000000006');
  });

  it('shows the best runs and the requested run in detail, most confident mistakes first', async () => {
    const model = await fixtureModel(['a11']);
    expect(model.details.map((d) => [d.id, d.best_of, d.requested])).toEqual([
      ['a18000000001', ['architectures'], false],
      ['b01000000006', ['learning-rate'], false],
      ['a11000000004', [], true],
    ]);
    const detail = model.details[0];
    expect(detail.confused_pairs).toEqual([
      { true_class: 'bird', predicted_class: 'dog', count: 1, fraction: 0.5 },
      { true_class: 'cat', predicted_class: 'dog', count: 1, fraction: 0.5 },
    ]);
    expect(detail.misclassified_total).toBe(2);
    expect(detail.gallery.map((g) => g.file)).toEqual(['test/bird/b2.png', 'test/cat/c2.png']);
    expect(detail.gallery[1].top3).toEqual([
      { class_name: 'dog', probability: 0.55, is_true: false },
      { class_name: 'cat', probability: 0.4, is_true: true },
      { class_name: 'bird', probability: 0.05, is_true: false },
    ]);
  });

  it('reports failures, the truncated metrics line and the summary', async () => {
    const model = await fixtureModel();
    expect(model.failed).toEqual([
      {
        id: 'a34000000002',
        name: 'arch=resnet34',
        experiments: ['architectures'],
        status: 'failed',
        failure: { code: 'NON_FINITE_LOSS', message: 'loss became NaN at step 7 of epoch 2; lower the learning rate', epoch: 2, step: 7 },
      },
    ]);
    expect(model.notes).toEqual(['runs/b00100000007/metrics.jsonl: the last line is incomplete (a run may be writing it); ignored.']);
    expect(model.summary.status_counts).toEqual({ completed: 4, failed: 1, pending: 1, running: 1 });
    expect(model.summary.backends).toEqual({ wasm: 6 });
    expect(model.summary.compute_seconds).toBeCloseTo(270.5, 10);
  });

  it('refuses an unknown or ambiguous --run', async () => {
    const stored = await readResults({ dir: FIXTURE_RESULTS });
    expect(() => resolveRunIds(stored.plan, ['zzz'])).toThrow(/--run zzz: no run of plan fixture-study/);
    expect(() => resolveRunIds(stored.plan, ['a'])).toThrow(/--run a: matches 4 runs/);
    expect(resolveRunIds(stored.plan, ['arch=resnet50'])).toEqual(['a50000000003']);
  });
});
