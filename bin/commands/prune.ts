import type { Command } from 'commander';
import { loadPlan } from '../load-plan.js';

interface PruneCommandOptions {
  results: string;
  dryRun?: boolean;
  weights?: boolean;
  cache?: boolean;
}

export function register(program: Command): void {
  program
    .command('prune')
    .description('Free the disk of finished runs: optimizer state and superseded checkpoints of completed runs, initial weights no checkpoint uses; runs not completed are left alone')
    .argument('<spec>', 'spec file')
    .option('--results <dir>', 'results folder the runs were written to', 'results')
    .option('--dry-run', 'list what would be removed, remove nothing')
    .option('--weights', 'also remove the kept weights of completed runs (the report still works; predict and pretrained: <run> do not)')
    .option('--cache', 'also remove the decoded-image and feature cache (.cache)')
    .action(async (spec: string, options: PruneCommandOptions) => {
      const { plan } = await loadPlan(spec, { checkData: false });
      const { specPaths } = await import('../../runtime/results/run-paths.js');
      const { formatBytes } = await import('../../runtime/results/disk-usage.js');
      const { planPrune, prune } = await import('../../runtime/runner/prune-study.js');
      const paths = specPaths(options.results, plan.name);
      const selection = { weights: options.weights, cache: options.cache };
      const planned = await planPrune(paths, selection);
      for (const item of planned.items) process.stdout.write(`${options.dryRun ? 'would remove' : 'remove'} ${item.path} (${item.what}, ${formatBytes(item.bytes)})\n`);
      for (const run of planned.untouched) process.stdout.write(`left alone: run ${run.id} (${run.reason})\n`);
      if (planned.busy) process.stdout.write('a runner holds a run of this study: the initial weights and the cache are left alone\n');
      const plannedBytes = planned.items.reduce((sum, item) => sum + item.bytes, 0);
      if (options.dryRun) {
        process.stdout.write(`would free ${formatBytes(plannedBytes)} in ${paths.root}\n`);
        return;
      }
      const result = await prune(paths, selection);
      for (const id of result.skipped) process.stdout.write(`skipped run ${id}: a runner took it meanwhile\n`);
      process.stdout.write(`freed ${formatBytes(result.freedBytes)} in ${paths.root}\n`);
    });
}
