import path from 'node:path';
import type { Command } from 'commander';
import type { DataConfig } from '../../compiler/types/run-config.js';
import { loadPlan } from '../load-plan.js';
import { UserError } from '../user-error.js';

/**
 * `sweepspec data SPEC`: what the study's data looks like to a run (images per
 * split and class, image sizes, bad and ignored files), exit 2 when it
 * cannot be used. Every distinct data config of the plan is checked once.
 */
export function register(program: Command): void {
  program
    .command('data')
    .description("Check a spec's dataset: images per split and class, image sizes, bad files; exit 2 when it cannot be used")
    .argument('<spec>', 'spec file')
    .option('--json', 'print the report as JSON')
    .action(async (spec: string, options: { json?: boolean }) => {
      const { plan, specDir } = await loadPlan(spec, { checkData: true });
      const { inspectDataset } = await import('../../runtime/data/inspect-dataset.js');
      const { datasetReport } = await import('../../runtime/data/dataset-report.js');
      const { formatDatasetReport } = await import('../../runtime/data/format-dataset-report.js');
      const { DataError } = await import('../../runtime/data/data-error.js');
      const groups = new Map<string, { data: DataConfig; seed: number; runs: number }>();
      for (const run of plan.runs) {
        const key = JSON.stringify(run.config.data);
        const group = groups.get(key) ?? { data: run.config.data, seed: run.config.seed, runs: 0 };
        group.runs += 1;
        groups.set(key, group);
      }
      const reports = [];
      let problems = 0;
      for (const { data, seed, runs } of groups.values()) {
        const root = path.resolve(specDir, data.root);
        let inspection;
        try {
          inspection = await inspectDataset({ data, root });
        } catch (error) {
          if (error instanceof DataError) throw new UserError(`${path.join(root, error.file ?? '')}: ${error.message}`);
          throw error;
        }
        const report = datasetReport(inspection, data, seed);
        reports.push({ runs, ...report });
        if (!options.json) process.stdout.write(`${reports.length > 1 ? '\n' : ''}${formatDatasetReport(report, { runs })}`);
        for (const problem of report.problems) {
          process.stderr.write(`${problem.file ? path.join(root, problem.file) : root}: error[${problem.code}]: ${problem.message}\n`);
        }
        problems += report.problems.length;
      }
      if (options.json) process.stdout.write(`${JSON.stringify({ datasets: reports }, null, 2)}\n`);
      if (problems > 0) throw new UserError(`${spec}: the dataset cannot be used (${problems} problem${problems === 1 ? '' : 's'})`);
    });
}
