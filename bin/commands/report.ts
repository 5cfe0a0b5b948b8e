import { type Command, Option } from 'commander';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { RunPlan } from '../../compiler/types/plan.js';
import type { ReportFormat } from '../../runtime/report/write-report.js';
import { parseMaxRuns } from '../cli-options.js';
import { loadPlan } from '../load-plan.js';
import { UserError } from '../user-error.js';

interface ReportOptions {
  results: string;
  format: ReportFormat;
  out?: string;
  run: string[];
  templates?: string;
  maxRuns?: number;
}

export function register(program: Command): void {
  program
    .command('report')
    .description('Write the comparison report of a sweep (also partial): one offline HTML page, Markdown with PNG charts, or CSV/JSON tables')
    .argument('<spec|results-dir>', 'spec file, or a results folder holding plan.json (results/<spec name>)')
    .option('--results <dir>', 'results folder the runs were written to (with a spec: reads <dir>/<spec name>/)', 'results')
    .addOption(new Option('--format <format>', 'output format').choices(['html', 'md', 'csv', 'json']).default('html'))
    .option('--out <path>', 'output file (default: report.<format> in the spec\'s results folder)')
    .option('--run <id>', 'also show this run in detail: id, id prefix or run name (repeatable)', collect, [])
    .option('--templates <dir>', 'folder of Handlebars partials (and layout.hbs, report.css) replacing the built-in ones of the same name')
    .option('--max-runs <n>', 'refuse studies above this many runs (with a spec)', parseMaxRuns)
    .action(async (target: string, options: ReportOptions) => {
      const { resultsDir, plan } = await locateResults(target, options);
      const { writeReport, packageVersion } = await import('../../runtime/report/write-report.js');
      const written = await writeReport({
        resultsDir,
        plan,
        format: options.format,
        out: options.out,
        runs: options.run,
        templatesDir: options.templates,
        version: await packageVersion(),
      });
      process.stdout.write(`${written.path}\n`);
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** A results folder is read as it is; a spec is compiled and its folder found under --results. */
async function locateResults(target: string, options: ReportOptions): Promise<{ resultsDir: string; plan?: RunPlan }> {
  const info = await stat(target).catch(() => null);
  if (!info) throw new UserError(`${target}: no such spec file or results folder`);
  if (info.isDirectory()) {
    if (await exists(path.join(target, 'plan.json'))) return { resultsDir: target };
    const inner = await readdir(target, { withFileTypes: true }).catch(() => []);
    const specs: string[] = [];
    for (const entry of inner) {
      if (entry.isDirectory() && (await exists(path.join(target, entry.name, 'plan.json')))) specs.push(path.join(target, entry.name));
    }
    throw new UserError(
      specs.length
        ? `${target} holds the results of ${specs.length} spec${specs.length === 1 ? '' : 's'}; name one: ${specs.join(', ')}`
        : `${target}: no plan.json here; give a spec file or a folder written by \`sweepspec run\` (results/<spec name>)`,
    );
  }
  const { plan } = await loadPlan(target, { maxRuns: options.maxRuns, checkData: false });
  const resultsDir = path.join(options.results, plan.name);
  if (!(await exists(resultsDir))) {
    throw new UserError(`${resultsDir}: no results for spec ${plan.name} yet; \`sweepspec run ${target}\` writes them (or pass --results)`);
  }
  return { resultsDir, plan };
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}
