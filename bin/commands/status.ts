import type { Command } from 'commander';
import { join } from 'node:path';
import { loadPlan } from '../load-plan.js';

export function register(program: Command): void {
  program
    .command('status')
    .description('Show the state of each run of a spec: pending, running (and where), completed, stopped early (and why), failed (and why), interrupted; and the disk it uses')
    .argument('<spec>', 'spec file')
    .option('--results <dir>', 'results folder the runs were written to', 'results')
    .option('--json', 'print the rows as JSON')
    .action(async (spec: string, options: { results: string; json?: boolean }) => {
      const { plan: compiled } = await loadPlan(spec, { checkData: false });
      const { formatStatus, readSweepStatus, statusTotals } = await import('../../runtime/runner/sweep-status.js');
      // Model-based searches: proposed runs join the plan, and each search is shown in proposal order.
      const { withProposals } = await import('../../runtime/search/with-proposals.js');
      const { readSearchProgress } = await import('../../runtime/search/read-search-progress.js');
      const { formatSearchProgress } = await import('../../runtime/search/search-progress.js');
      const { plan, proposals } = await withProposals(compiled, join(options.results, compiled.name));
      const rows = await readSweepStatus(plan, options.results);
      const searches = await readSearchProgress(plan, proposals, options.results, rows);
      const { formatSchedulerStatus, readSchedulerStatus } = await import('../../runtime/launch/scheduler-status.js');
      const scheduler = await readSchedulerStatus(plan, options.results);
      const { specPaths } = await import('../../runtime/results/run-paths.js');
      const { formatStudyDisk, studyDisk } = await import('../../runtime/runner/study-disk.js');
      const disk = await studyDisk(specPaths(options.results, plan.name));
      process.stdout.write(
        options.json
          ? `${JSON.stringify({ runs: rows, totals: statusTotals(rows), ...(searches.length ? { searches } : {}), scheduler, disk }, null, 2)}\n`
          : formatStatus(rows) + formatSearchProgress(searches) + formatSchedulerStatus(scheduler, rows) + formatStudyDisk(disk, spec),
      );
    });
}
