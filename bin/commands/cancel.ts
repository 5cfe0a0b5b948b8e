import type { Command } from 'commander';
import { resolve } from 'node:path';
import { loadPlan } from '../load-plan.js';

export function register(program: Command): void {
  program
    .command('cancel')
    .description("Cancel a study's queued and running cluster tasks; the runs stay resumable (submit again to finish them)")
    .argument('<spec>', 'spec file')
    .option('--results <dir>', 'results folder the study was submitted with', 'results')
    .option('--only <pattern>', 'only the tasks of runs whose name or id matches this glob')
    .action(async (spec: string, options: { results: string; only?: string }) => {
      const { plan } = await loadPlan(spec, { checkData: false });
      const { cancelSlurm } = await import('../../runtime/launch/slurm/cancel-slurm.js');
      const outcome = await cancelSlurm({ plan, resultsDir: resolve(options.results), only: options.only });
      const { kubernetesCancelHint } = await import('../../runtime/launch/kubernetes/cancel-hint.js');
      process.stderr.write(await kubernetesCancelHint(resolve(options.results), plan.name));
      if (outcome.tasks.length === 0 && outcome.reports.length === 0) {
        process.stdout.write(`nothing to cancel: no queued or running task of ${plan.name}${options.only ? ` matches ${options.only}` : ''}\n`);
        return;
      }
      const lines = outcome.tasks.map((task) => `  ${task.jobId}  ${task.name}`);
      if (outcome.reports.length > 0) lines.push(`  report job ${outcome.reports.join(', ')}`);
      const results = options.results === 'results' ? '' : ` --results ${options.results}`;
      process.stdout.write(
        `cancelled ${outcome.tasks.length} task${outcome.tasks.length === 1 ? '' : 's'}:\n${lines.join('\n')}\n` +
          `runs stop after their current step and stay resumable: sweepspec submit ${spec} --slurm${results} continues them\n`,
      );
    });
}
