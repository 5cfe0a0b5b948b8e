import { describe, expect, it } from 'vitest';
import { loadReportModel } from '../../../runtime/report/write-report.js';
import { comparisonCsv, comparisonJson } from '../../../runtime/report/export-table.js';
import type { ReportModel } from '../../../runtime/report/report-model.js';
import { FIXTURE_RESULTS, expectGolden } from './helpers.js';

describe('comparison table exports', () => {
  it('CSV: one row per run and experiment, raw numbers, golden', async () => {
    const model = await loadReportModel(FIXTURE_RESULTS, { checkLeases: false });
    const csv = comparisonCsv(model);
    await expectGolden('comparison.csv', csv);
    const lines = csv.trimEnd().split('\r\n');
    expect(lines).toHaveLength(1 + 4 + 4);
    expect(lines[0]).toBe(
      'experiment,run_id,run,status,seed,model.arch,optimizer.lr,configuration,best_epoch,best_val_accuracy,val_loss_at_best,test_accuracy,macro_f1,epochs_run,epochs_planned,seconds_per_epoch,is_best,best_configuration',
    );
  });

  it('CSV: quotes separators and defuses spreadsheet formulas in text cells', async () => {
    const model = await loadReportModel(FIXTURE_RESULTS, { checkLeases: false });
    const [section] = model.experiments;
    const evil: ReportModel = {
      ...model,
      experiments: [{ ...section, rows: [{ ...section.rows[0], name: '=HYPERLINK("x"),a' }], groups: [] }],
    };
    const row = comparisonCsv(evil).split('\r\n')[1];
    expect(row).toContain(`,"'=HYPERLINK(""x""),a",`);
  });

  it('JSON: the tables without the curve points', async () => {
    const model = await loadReportModel(FIXTURE_RESULTS, { checkLeases: false });
    const json = JSON.parse(comparisonJson(model)) as { experiments: Record<string, unknown>[] };
    expect(json.experiments.map((e) => e.name)).toEqual(['architectures', 'learning-rate']);
    expect(json.experiments[1]).toMatchObject({ repeats: true, best_run: 'b01000000006' });
    expect(json.experiments[0]).not.toHaveProperty('curves');
    expect(json.experiments[1].groups).toEqual(model.experiments[1].groups);
  });
});
