import { type Command, InvalidArgumentError } from 'commander';
import { UserError } from '../user-error.js';

interface TaskOptions {
  index?: number;
  report?: boolean;
}

/**
 * The entry point of one cluster task, for every engine: Slurm's array tasks
 * and Kubernetes' indexed pods run `sweepspec task DIR --index N`, the report
 * job `sweepspec task DIR --report`. Both read the submission's frozen plan,
 * never the spec, so editing the spec after submitting changes nothing queued.
 */
export function register(program: Command): void {
  program
    .command('task')
    .description('Run one task of a cluster submission (used by the batch scripts and manifests that `submit` writes)')
    .argument('<submission-dir>', 'the submission folder: <results>/<study>/submissions/<id>')
    .option('--index <n>', "train the run of this task index (Slurm's array index, Kubernetes' completion index)", parseIndex)
    .option('--report', "write the study's HTML report from the submission's plan")
    .action(async (dir: string, options: TaskOptions) => {
      if ((options.index === undefined) === !options.report) throw new UserError('give exactly one of --index N and --report');
      process.exitCode = options.report ? await report(dir) : await train(dir, options.index!);
    });
}

async function train(dir: string, index: number): Promise<number> {
  const { runSubmissionTask } = await import('../../runtime/launch/run-task.js');
  const { createTrainExecutor } = await import('../../runtime/runner/train-executor.js');
  const { plainProgress } = await import('../../runtime/runner/plain-progress.js');
  const { sweepExitCode } = await import('../../runtime/runner/sweep-events.js');
  const write = (text: string) => void process.stdout.write(text);
  const controller = new AbortController();
  let signals = 0;
  const onSignal = (name: string) => {
    signals++;
    if (signals > 1) process.exit(130);
    write(`sweepspec task: ${name}: stopping after the current step and saving what is complete\n`);
    controller.abort();
  };
  const onTerm = () => onSignal('SIGTERM');
  const onInt = () => onSignal('SIGINT');
  process.on('SIGTERM', onTerm);
  process.on('SIGINT', onInt);
  try {
    const { task, summary } = await runSubmissionTask({
      dir,
      index,
      executor: createTrainExecutor(),
      signal: controller.signal,
      onEvent: plainProgress(write, {}),
    });
    if (task.slot) {
      // The slot's run is whichever it proposed (the sweep's only selected run).
      const [proposed, status] = Object.entries(summary.statuses)[0] ?? [];
      write(`task ${task.index}: search slot ${task.run_id}${proposed ? `: run ${proposed} is ${status}` : ' proposed no run'}\n`);
    } else {
      write(`task ${task.index}: run ${task.run_id} (${task.name}) is ${summary.statuses[task.run_id] ?? 'not selected'}\n`);
    }
    if (summary.interrupted) await afterInterrupt(dir, index, write);
    return sweepExitCode(summary);
  } finally {
    process.off('SIGTERM', onTerm);
    process.off('SIGINT', onInt);
  }
}

/** A task stopped by a signal continues later unless `sweepspec cancel` stopped it: on Slurm it requeues itself. */
async function afterInterrupt(dir: string, index: number, write: (text: string) => void): Promise<void> {
  const { readCancelled } = await import('../../runtime/launch/submission.js');
  if ((await readCancelled(dir)).includes(index)) {
    write(`task ${index}: cancelled; \`sweepspec submit\` resumes the run later\n`);
    return;
  }
  const { slurmTaskId, requeueSelf } = await import('../../runtime/launch/slurm/requeue.js');
  const jobId = slurmTaskId(process.env);
  if (!jobId) return; // other engines restart a failed pod themselves (exit 130 counts as a failure there)
  const { runSlurm } = await import('../../runtime/launch/slurm/slurm-commands.js');
  const outcome = await requeueSelf(runSlurm, jobId);
  write(outcome.requeued ? `task ${index}: requeued job ${jobId}; it continues from the last completed epoch\n` : `task ${index}: not requeued: ${outcome.why}\n`);
}

async function report(dir: string): Promise<number> {
  const { readSubmission } = await import('../../runtime/launch/submission.js');
  const { studyResultsDir } = await import('../../runtime/launch/run-task.js');
  const { writeReport, packageVersion } = await import('../../runtime/report/write-report.js');
  const { record, plan } = await readSubmission(dir);
  const written = await writeReport({ resultsDir: studyResultsDir(record, plan), plan, format: 'html', version: await packageVersion() });
  process.stdout.write(`${written.path}\n`);
  return 0;
}

function parseIndex(value: string): number {
  if (!/^[0-9]+$/.test(value)) throw new InvalidArgumentError('must be a task index (0, 1, ...)');
  return Number(value);
}
