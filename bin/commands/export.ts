import type { Command } from 'commander';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { RunPlan } from '../../compiler/types/plan.js';
import type { ExperimentStudy } from '../../compiler/types/study.js';
import { parseMaxRuns } from '../cli-options.js';
import { compileFile, loadPlan } from '../load-plan.js';
import { UserError } from '../user-error.js';

interface ExportOptions {
  results: string;
  out?: string;
  maxRuns?: number;
}

export function register(program: Command): void {
  const exporter = program.command('export').description('Write a sweep\'s results in another tool\'s format');
  exporter
    .command('tensorboard')
    .description('Write TensorBoard event files (learning curves, test metrics, confusion matrices, the HParams table) for a sweep that already ran')
    .argument('<spec|results-dir>', 'spec file, or a results folder holding plan.json (results/<spec name>)')
    .option('--results <dir>', 'results folder the runs were written to (with a spec: reads <dir>/<spec name>/)', 'results')
    .option('--out <dir>', 'folder for the event files (default: tensorboard/ in the spec\'s results folder, where `run` writes them live)')
    .option('--max-runs <n>', 'refuse studies above this many runs (with a spec)', parseMaxRuns)
    .action(async (target: string, options: ExportOptions) => {
      const { studyDir, plan, study } = await locateStudy(target, options);
      const { exportTensorboard } = await import('../../runtime/export/tensorboard/export-tensorboard.js');
      const { tensorboardDir } = await import('../../runtime/export/tensorboard/tensorboard-paths.js');
      const outDir = options.out ?? tensorboardDir(studyDir);
      const summary = await exportTensorboard({ plan, studyDir, outDir, study });
      for (const problem of summary.problems) process.stderr.write(`sweepspec: run ${problem.run} left out: ${problem.message}\n`);
      if (summary.problems.length > 0) process.exitCode = 1;
      const pending = summary.notStarted ? `; ${summary.notStarted} not started yet` : '';
      // The default folder sits in the study's, which is what `tensorboard --logdir` is best pointed at (as during `run`).
      const logdir = options.out ? outDir : studyDir;
      process.stdout.write(`${outDir}: ${summary.written} run${summary.written === 1 ? '' : 's'}${pending}\nview with: tensorboard --logdir ${logdir}\n`);
    });
  exporter
    .command('weights')
    .description('Write the weights a finished run kept as one standalone safetensors file for PyTorch (torchvision state_dict names), frozen backbone included')
    .argument('<run-dir>', 'the run folder, results/<spec name>/runs/<id>')
    .requiredOption('--out <file>', 'the safetensors file to write')
    .action(async (runDir: string, options: { out: string }) => {
      const { runWeights } = await import('../../runtime/weights/run-weights.js');
      const { exportWeights } = await import('../../runtime/weights/export-weights.js');
      const run = await runWeights(runDir);
      const written = await exportWeights(run.file, run.config.model.arch, run.classes.length, options.out);
      process.stdout.write(`wrote ${written.tensors} tensors of ${run.config.model.arch} (epoch ${run.epoch}) to ${options.out}\n`);
    });
}

/** A spec is compiled and its results found under --results; a results folder is read with the plan.json `run` left there. */
async function locateStudy(target: string, options: ExportOptions): Promise<{ studyDir: string; plan: RunPlan; study?: ExperimentStudy }> {
  const info = await stat(target).catch(() => null);
  if (!info) throw new UserError(`${target}: no such spec file or results folder`);
  if (!info.isDirectory()) {
    const { plan, study } = await loadPlan(target, { maxRuns: options.maxRuns, checkData: false });
    const studyDir = path.join(options.results, plan.name);
    if (!(await stat(path.join(studyDir, 'plan.json')).catch(() => null))) {
      throw new UserError(`${studyDir}: no results for spec ${plan.name} yet; \`sweepspec run ${target}\` writes them (or pass --results)`);
    }
    return { studyDir, plan, study };
  }
  const planFile = path.join(target, 'plan.json');
  const text = await readFile(planFile, 'utf8').catch(() => null);
  if (text === null) throw new UserError(`${target}: no plan.json here; give a spec file or a folder written by \`sweepspec run\` (results/<spec name>)`);
  let plan: RunPlan;
  try {
    plan = JSON.parse(text) as RunPlan;
  } catch (error) {
    throw new UserError(`${planFile}: not valid JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(plan?.runs) || !Array.isArray(plan.experiments)) throw new UserError(`${planFile}: not a plan written by \`sweepspec run\` (no runs or experiments)`);
  return { studyDir: target, plan, study: studyOf(plan) };
}

/**
 * The spec named in plan.json, when it is still there and still compiles to
 * the same runs, gives the axis kinds a plan does not hold (random-search
 * intervals); otherwise the domains are the values the runs took.
 */
function studyOf(plan: RunPlan): ExperimentStudy | undefined {
  try {
    const result = compileFile(plan.spec, { dataCheck: 'off' });
    const same = result.plan && result.plan.runs.map((r) => r.id).join() === plan.runs.map((r) => r.id).join();
    if (same) return result.study;
  } catch {
    // An unreadable spec is no reason to refuse the export.
  }
  process.stderr.write(`sweepspec: note: ${plan.spec} is not at hand or has changed since the sweep; hparam domains are the values the runs took\n`);
  return undefined;
}
