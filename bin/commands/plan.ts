import type { Command } from 'commander';
import { DEFAULT_MAX_RUNS } from '../../compiler/compile.js';
import { formatPlanTable } from '../../compiler/plan/format-plan-table.js';
import { parseMaxRuns } from '../cli-options.js';
import { loadPlan } from '../load-plan.js';

export function register(program: Command): void {
  program
    .command('plan')
    .description('Show the runs a spec expands to: a table per experiment with the values that vary, and totals')
    .argument('<spec>', 'spec file')
    .option('--json', 'print the plan document (stable bytes for the same spec)')
    .option('--max-runs <n>', `refuse studies above this many runs (default ${DEFAULT_MAX_RUNS})`, parseMaxRuns)
    .action(async (spec: string, options: { json?: boolean; maxRuns?: number }) => {
      const { plan } = await loadPlan(spec, { maxRuns: options.maxRuns, checkData: false });
      process.stdout.write(options.json ? `${JSON.stringify(plan, null, 2)}\n` : formatPlanTable(plan));
    });
}
