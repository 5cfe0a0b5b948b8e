/**
 * The batch scripts of a Slurm submission, as values: pure functions of the
 * submission's facts, golden-tested, written to disk by submit-slurm.ts.
 * Every sbatch option sits in a `#SBATCH` line so that the script alone says
 * how it was submitted.
 */

export interface SlurmResources {
  readonly partition?: string;
  /** Slurm's own time format (`30`, `2:00:00`, `1-12`); Slurm checks it. */
  readonly time?: string;
  readonly cpusPerRun: number;
  /** Slurm's size format (`8G`, `16000M`). */
  readonly mem?: string;
  readonly gpusPerRun?: number;
  readonly maxParallel?: number;
  readonly account?: string;
  readonly qos?: string;
  /** Extra sbatch options for the array tasks, each one `--name=value` (or a bare flag) as given. */
  readonly sbatchArgs: readonly string[];
}

export interface ScriptContext {
  readonly study: string;
  readonly submissionId: string;
  /** Absolute submission folder (plan.json, submission.json, logs/). */
  readonly submissionDir: string;
  /** Absolute folder the jobs start in (where submit ran: relative paths in the spec resolve as there). */
  readonly workDir: string;
  /** Absolute paths of node and of bin/sweepspec.js: the same on every node (docs/cluster.md). */
  readonly node: string;
  readonly cli: string;
  readonly resources: SlurmResources;
}

/**
 * Seconds before the time limit at which Slurm sends SIGTERM to the task; it
 * stops after its current step, saves, and requeues itself. Slurm may signal
 * up to a minute early, so the margin must exceed one training step plus the
 * checkpoint write, with room to spare.
 */
export const SIGNAL_MARGIN_SECONDS = 120;

export function arrayScript(context: ScriptContext, taskCount: number): string {
  const { resources } = context;
  const throttle = resources.maxParallel ? `%${resources.maxParallel}` : '';
  const lines = [
    ...header(context, `one array task per run; task N trains run N of submission.json`),
    sbatch('job-name', `sweepspec-${context.study}`),
    sbatch('array', `0-${taskCount - 1}${throttle}`),
    sbatch('chdir', context.workDir),
    sbatch('output', `${context.submissionDir}/logs/%A_%a.out`),
    sbatch('open-mode', 'append'),
    '#SBATCH --requeue',
    sbatch('signal', `B:TERM@${SIGNAL_MARGIN_SECONDS}`),
    sbatch('cpus-per-task', String(resources.cpusPerRun)),
    ...optional('mem', resources.mem),
    ...(resources.gpusPerRun ? [sbatch('gres', `gpu:${resources.gpusPerRun}`)] : []),
    ...shared(resources),
    ...resources.sbatchArgs.map((arg) => `#SBATCH ${quoteOption(arg)}`),
    '',
    '# exec: the runner is the batch shell, so SIGTERM from Slurm reaches it directly.',
    `exec ${shellQuote(context.node)} ${shellQuote(context.cli)} task ${shellQuote(context.submissionDir)} --index "$SLURM_ARRAY_TASK_ID"`,
    '',
  ];
  return lines.join('\n');
}

export function reportScript(context: ScriptContext, arrayJobId: string): string {
  const lines = [
    ...header(context, 'writes the HTML report once the array has ended, however it ended'),
    sbatch('job-name', `sweepspec-${context.study}-report`),
    sbatch('dependency', `afterany:${arrayJobId}`),
    sbatch('chdir', context.workDir),
    sbatch('output', `${context.submissionDir}/logs/report-%j.out`),
    sbatch('cpus-per-task', '1'),
    ...optional('mem', context.resources.mem),
    ...shared(context.resources),
    '',
    `exec ${shellQuote(context.node)} ${shellQuote(context.cli)} task ${shellQuote(context.submissionDir)} --report`,
    '',
  ];
  return lines.join('\n');
}

function header(context: ScriptContext, what: string): string[] {
  return ['#!/bin/bash', `# sweepspec study ${context.study}, submission ${context.submissionId}: ${what}.`];
}

/** Options both jobs carry: where they run and who pays. */
function shared(resources: SlurmResources): string[] {
  return [...optional('partition', resources.partition), ...optional('time', resources.time), ...optional('account', resources.account), ...optional('qos', resources.qos)];
}

function optional(name: string, value: string | undefined): string[] {
  return value === undefined ? [] : [sbatch(name, value)];
}

function sbatch(name: string, value: string): string {
  return `#SBATCH ${quoteOption(`--${name}=${value}`)}`;
}

/** sbatch reads `#SBATCH` lines with shell-like quoting: quote an option only when it needs it. */
function quoteOption(option: string): string {
  return /[\s"'\\$`]/.test(option) ? `"${option.replace(/(["\\$`])/g, '\\$1')}"` : option;
}

export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
