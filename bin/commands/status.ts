import type { Command } from 'commander';
import { loadPlan } from '../load-plan.js';

export function register(program: Command): void {
  program
    .command('status')
    .description('Show the state of each run of a spec: pending, running (and where), completed, failed (and why), interrupted')
    .argument('<spec>', 'spec file')
    .option('--results <dir>', 'results folder the runs were written to', 'results')
    .option('--json', 'print the rows as JSON')
    .action(async (spec: string, options: { results: string; json?: boolean }) => {
      const { plan } = await loadPlan(spec, { checkData: false });
      const { formatStatus, readSweepStatus, statusTotals } = await import('../../runtime/runner/sweep-status.js');
      const rows = await readSweepStatus(plan, options.results);
      process.stdout.write(options.json ? `${JSON.stringify({ runs: rows, totals: statusTotals(rows) }, null, 2)}\n` : formatStatus(rows));
    });
}
