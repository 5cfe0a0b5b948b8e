import { type Command, InvalidArgumentError, Option } from 'commander';
import { fileURLToPath } from 'node:url';
import type { RunPlan } from '../../compiler/types/plan.js';
import type { ExperimentStudy } from '../../compiler/types/study.js';
import type { RunExecutor } from '../../runtime/runner/executor.js';
import type { RunSelection } from '../../runtime/runner/select-runs.js';
import type { SweepEvent } from '../../runtime/runner/sweep-events.js';
import type { WorkerPool } from '../../runtime/runner/worker-pool.js';
import { parseMaxRuns } from '../cli-options.js';
import { loadPlan } from '../load-plan.js';
import { UserError } from '../user-error.js';

interface RunOptions {
  results: string;
  jobs: number;
  shard?: { index: number; count: number };
  only?: string;
  rerun?: 'failed' | 'all' | 'stopped';
  backend: 'auto' | 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';
  dryRun?: boolean;
  quiet?: boolean;
  maxRuns?: number;
  tensorboard: boolean;
}

export function register(program: Command): void {
  program
    .command('run')
    .description('Train and evaluate the runs of a spec; completed runs are kept and skipped, interrupted ones resume')
    .argument('<spec>', 'spec file')
    .option('--results <dir>', 'results folder (runs go to <dir>/<spec name>/)', 'results')
    .option('--jobs <n>', 'runs trained in parallel, each in its own worker process', parseJobs, 1)
    .option('--shard <i/n>', 'take every n-th run of the plan starting at the i-th (1-based), for splitting a sweep across machines', parseShardOption)
    .option('--only <pattern>', 'only runs whose name or id matches this glob (e.g. "arch=resnet*")')
    .addOption(new Option('--rerun <which>', 'train again from scratch: failed runs, or all runs; or continue the runs early termination stopped').choices(['failed', 'all', 'stopped']))
    .addOption(new Option('--backend <name>', 'TensorFlow.js backend').choices(['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']).default('auto'))
    .option('--dry-run', 'print what each run would do, change nothing')
    .option('--quiet', 'print only failures and the final summary')
    .option('--max-runs <n>', 'refuse studies above this many runs', parseMaxRuns)
    .option('--no-tensorboard', 'do not write TensorBoard event files (<results>/<spec name>/tensorboard/)')
    .action(async (spec: string, options: RunOptions) => {
      const { plan, specDir, study } = await loadPlan(spec, { maxRuns: options.maxRuns, checkData: true });
      const selection = { only: options.only, shard: options.shard, rerun: options.rerun };
      if (options.only) {
        const { selectRuns } = await import('../../runtime/runner/select-runs.js');
        const { selectSlots } = await import('../../runtime/search/run-slot.js');
        // A tpe search's slots (`<experiment>#<n>`) are matched too: their runs are proposed during the sweep.
        if (selectRuns(plan.runs, { only: options.only }).length === 0 && selectSlots(plan, { only: options.only }).length === 0) {
          throw new UserError(`--only ${options.only} matches none of the ${plan.runs.length} runs' names or ids (see sweepspec plan ${spec})`);
        }
      }
      if (options.dryRun) {
        const { dryRun } = await import('../../runtime/runner/dry-run.js');
        for (const { run, action } of await dryRun(plan, options.results, selection)) {
          process.stdout.write(`${run.id}  ${run.name}: ${action}\n`);
        }
        const { dryRunSlots } = await import('../../runtime/search/dry-run-slots.js');
        for (const line of await dryRunSlots(plan, options.results, selection)) process.stdout.write(`${line}\n`);
        return;
      }
      process.exitCode = await sweep(plan, specDir, selection, options, study);
    });
}

const TRAIN_EXECUTOR = fileURLToPath(new URL('../../runtime/runner/train-executor.ts', import.meta.url));

/**
 * The CLI edge of a sweep: progress on stdout (live on a terminal, timestamped
 * lines otherwise), signals, the summary. TensorFlow.js is imported only when
 * a run actually trains, so a sweep with nothing to do returns at once.
 */
async function sweep(plan: RunPlan, specDir: string, selection: RunSelection, options: RunOptions, study?: ExperimentStudy): Promise<number> {
  const { runSweep } = await import('../../runtime/runner/run-sweep.js');
  const { sweepExitCode } = await import('../../runtime/runner/sweep-events.js');
  const { plainProgress } = await import('../../runtime/runner/plain-progress.js');
  const { ttyProgress } = await import('../../runtime/runner/tty-progress.js');
  const write = (text: string) => void process.stdout.write(text);
  const live = process.stdout.isTTY && !options.quiet ? ttyProgress(write) : null;
  const progress = live?.onEvent ?? plainProgress(write, { quiet: options.quiet });
  const tensorboard = options.tensorboard ? await tensorboardWriter(plan, study, options.results) : null;
  const onEvent = (event: SweepEvent) => {
    progress(event);
    tensorboard?.onEvent(event);
  };

  let pool: WorkerPool | null = null;
  let inProcess: RunExecutor | null = null;
  const executor: RunExecutor = async (job) => {
    if (options.jobs > 1) {
      const { createWorkerPool } = await import('../../runtime/runner/worker-pool.js');
      pool ??= createWorkerPool({ size: options.jobs, executor: { module: TRAIN_EXECUTOR, factory: 'createTrainExecutor' } });
      return pool.executor(job);
    }
    if (!inProcess) {
      const { createTrainExecutor } = await import('../../runtime/runner/train-executor.js');
      inProcess = createTrainExecutor(); // one per process: its data caches serve every run
    }
    return inProcess(job);
  };

  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = () => {
    interrupts++;
    if (interrupts === 1) {
      process.stderr.write('\nsweepspec: stopping after the current step and saving what is complete; press Ctrl-C again to quit at once\n');
      controller.abort();
      return;
    }
    pool?.close({ force: true });
    process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const summary = await runSweep({
      plan, specDir, resultsDir: options.results, selection, jobs: options.jobs, backend: options.backend,
      executor, signal: controller.signal, onEvent,
    });
    await tensorboard?.flush();
    live?.close();
    const counts = new Map<string, number>();
    for (const status of Object.values(summary.statuses)) counts.set(status, (counts.get(status) ?? 0) + 1);
    const parts = [...counts].map(([status, n]) => `${n} ${status}`).join(', ');
    const ran = summary.ran.completed + summary.ran.failed + summary.ran.interrupted + summary.ran.stopped;
    write(`${summary.selected} runs: ${parts || 'none selected'}; trained ${ran} now; results in ${options.results}/${plan.name}\n`);
    if (counts.get('failed')) write(`retry failed runs with: sweepspec run ${plan.spec} --rerun failed\n`);
    if (summary.interrupted) write(`resume with: sweepspec run ${plan.spec}\n`);
    if (counts.get('stopped')) write(`stopped early: continue them to the end with: sweepspec run ${plan.spec} --rerun stopped\n`);
    return sweepExitCode(summary);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    (pool as WorkerPool | null)?.close();
  }
}

/** The live TensorBoard files; a failed write is a warning (once per message), never a failed run. */
async function tensorboardWriter(plan: RunPlan, study: ExperimentStudy | undefined, resultsDir: string) {
  const { liveWriter } = await import('../../runtime/export/tensorboard/live-writer.js');
  const warned = new Set<string>();
  return liveWriter({
    plan, study, resultsDir,
    onError: (message) => {
      if (warned.has(message)) return;
      warned.add(message);
      process.stderr.write(`sweepspec: warning: could not write ${message}\n`);
    },
  });
}

function parseJobs(value: string): number {
  const n = Number(value);
  if (!/^[0-9]+$/.test(value) || n < 1 || n > 64) throw new InvalidArgumentError('must be an integer from 1 to 64');
  return n;
}

function parseShardOption(value: string): { index: number; count: number } {
  const match = /^(\d+)\/(\d+)$/.exec(value);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) throw new InvalidArgumentError('must be I/N with 1 <= I <= N, e.g. 2/4');
  return { index, count };
}
