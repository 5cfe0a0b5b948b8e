import type { Command } from 'commander';
import { DEFAULT_MAX_RUNS } from '../../compiler/compile.js';
import { hasErrors } from '../../compiler/diagnostics/diagnostic.js';
import { parseMaxRuns } from '../cli-options.js';
import { compileFile, printDiagnostics } from '../load-plan.js';
import { UserError } from '../user-error.js';

export function register(program: Command): void {
  program
    .command('validate')
    .description('Check specs: YAML, schema, semantic rules and expansion (the run count); --data also checks the data folders')
    .argument('<spec...>', 'spec files')
    .option('--data', 'also check that each data root and its train folder exist')
    .option('--max-runs <n>', `refuse studies above this many runs (default ${DEFAULT_MAX_RUNS})`, parseMaxRuns)
    .action((specs: string[], options: { data?: boolean; maxRuns?: number }) => {
      let failed = 0;
      for (const spec of specs) {
        const result = compileFile(spec, { maxRuns: options.maxRuns, dataCheck: options.data ? 'error' : 'off' });
        printDiagnostics(result);
        if (!result.plan || hasErrors(result.diagnostics)) {
          failed++;
          continue;
        }
        const { runs, experiments } = result.plan;
        process.stdout.write(`${spec}: ok (${experiments.length} experiment${experiments.length === 1 ? '' : 's'}, ${runs.length} run${runs.length === 1 ? '' : 's'})\n`);
      }
      if (failed > 0) throw new UserError(`${failed} of ${specs.length} spec${specs.length === 1 ? '' : 's'} invalid`);
    });
}
