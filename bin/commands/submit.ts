import { type Command, InvalidArgumentError, Option } from 'commander';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SlurmResources } from '../../runtime/launch/slurm/batch-script.js';
import type { SlurmSubmitOutcome } from '../../runtime/launch/slurm/submit-slurm.js';
import type { BackendRequest } from '../../runtime/runner/executor.js';
import { parseMaxRuns } from '../cli-options.js';
import { loadPlan } from '../load-plan.js';
import { UserError } from '../user-error.js';
import { checkSbatchArgs } from './submit-options.js';

export interface SubmitOptions {
  slurm?: boolean;
  kubernetes?: boolean;
  image?: string;
  resultsPvc?: string;
  namespace?: string;
  dataPvc?: string;
  dataMount?: string;
  retries?: string;
  jobWideRetries?: boolean;
  out?: string;
  apply?: boolean;
  results: string;
  partition?: string;
  time?: string;
  cpusPerRun: number;
  mem?: string;
  gpusPerRun?: number;
  maxParallel?: number;
  account?: string;
  qos?: string;
  sbatchArg: string[];
  only?: string;
  rerun?: 'failed' | 'all' | 'stopped';
  backend: BackendRequest;
  dryRun?: boolean;
  maxRuns?: number;
}

const CLI = fileURLToPath(new URL('../sweepspec.js', import.meta.url));

/**
 * `sweepspec submit SPEC --slurm ...`: hands the runs that still need training
 * to the cluster's scheduler and returns once it has accepted them. The engine
 * options are exclusive: each engine is one branch of `action` below.
 */
export function register(program: Command): void {
  program
    .command('submit')
    .description("Submit a study's runs to a cluster scheduler (Slurm: one job array and a report job) and return at once")
    .argument('<spec>', 'spec file')
    .option('--slurm', 'submit to Slurm with sbatch (run this on a login node)')
    .option('--kubernetes', 'write an Indexed Job and a report Job for Kubernetes (run this where the results claim is mounted)')
    .option('--results <dir>', 'results folder, shared by every node (runs go to <dir>/<spec name>/)', 'results')
    .option('--partition <name>', 'Slurm partition')
    .option('--time <limit>', "time limit of each task, in Slurm's format (e.g. 30, 2:00:00, 1-12); tasks requeue themselves before it")
    .option('--cpus-per-run <n>', 'CPU cores for each run', parseCount(1), 1)
    .option('--mem <size>', "memory for each run, in Slurm's format (e.g. 8G)")
    .option('--gpus-per-run <n>', 'GPUs for each run (use with --backend auto or tensorflow-gpu)', parseCount(0))
    .option('--max-parallel <n>', 'runs trained at once at most (Slurm: the array throttle %N)', parseCount(1))
    .option('--account <name>', 'Slurm account to charge')
    .option('--qos <name>', 'Slurm quality of service')
    .option('--sbatch-arg <arg>', 'extra sbatch option for the tasks, e.g. --sbatch-arg=--constraint=a100 (repeatable)', collect, [])
    .option('--only <pattern>', 'only runs whose name or id matches this glob')
    .addOption(new Option('--rerun <which>', 'train again from scratch: failed runs, or all runs; or continue the runs early termination stopped').choices(['failed', 'all', 'stopped']))
    .addOption(new Option('--backend <name>', 'TensorFlow.js backend of the tasks').choices(['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']).default('auto'))
    .option('--image <image>', 'Kubernetes: the runner image (Dockerfile)')
    .option('--results-pvc <name>', 'Kubernetes: the ReadWriteMany PersistentVolumeClaim holding --results, mounted at the same path in the pods')
    .option('--namespace <ns>', 'Kubernetes: namespace of the Jobs (default: default)')
    .option('--data-pvc <name>', 'Kubernetes: a claim holding the data, mounted read-only at --data-mount')
    .option('--data-mount <path>', "Kubernetes: the folder the --data-pvc claim's root stands for (default: the spec's one data root)")
    .option('--retries <n>', 'Kubernetes: retries of a run whose pod failed; evictions are not counted (default: 3)')
    .option('--job-wide-retries', 'Kubernetes before 1.29: one backoffLimit for the whole Job instead of backoffLimitPerIndex')
    .option('--out <file>', 'Kubernetes: write the manifests to this file')
    .option('--apply', 'Kubernetes: pipe the manifests to `kubectl apply -f -`')
    .option('--dry-run', 'print the batch scripts or manifests and the runs they would train; submit nothing')
    .option('--max-runs <n>', 'refuse studies above this many runs', parseMaxRuns)
    .action(async (spec: string, options: SubmitOptions, command: Command) => {
      const { checkEngineOptions } = await import('./submit-kubernetes.js');
      checkEngineOptions(options, (name) => command.getOptionValueSource(name) === 'cli');
      checkCommonOptions(options);
      if (options.kubernetes) return submitToKubernetes(spec, options);
      const { plan, specDir } = await loadPlan(spec, { maxRuns: options.maxRuns, checkData: true });
      if (options.only) {
        const { selectRuns } = await import('../../runtime/runner/select-runs.js');
        if (selectRuns(plan.runs, { only: options.only }).length === 0) {
          throw new UserError(`--only ${options.only} matches none of the ${plan.runs.length} runs' names or ids (see sweepspec plan ${spec})`);
        }
      }
      const { submitSlurm } = await import('../../runtime/launch/slurm/submit-slurm.js');
      const outcome = await submitSlurm({
        plan,
        specDir,
        resultsDir: resolve(options.results),
        backend: options.backend,
        only: options.only,
        rerun: options.rerun,
        resources: slurmResources(options),
        dryRun: Boolean(options.dryRun),
        workDir: process.cwd(),
        node: process.execPath,
        cli: CLI,
      });
      process.stdout.write(describeOutcome(outcome, spec, options));
    });
}

async function submitToKubernetes(spec: string, options: SubmitOptions): Promise<void> {
  const { kubernetesOptions, describeKubernetesOutcome } = await import('./submit-kubernetes.js');
  const kubernetes = kubernetesOptions(options);
  const { plan, specDir } = await loadPlan(spec, { maxRuns: options.maxRuns, checkData: true });
  if (options.only) {
    const { selectRuns } = await import('../../runtime/runner/select-runs.js');
    if (selectRuns(plan.runs, { only: options.only }).length === 0) {
      throw new UserError(`--only ${options.only} matches none of the ${plan.runs.length} runs' names or ids (see sweepspec plan ${spec})`);
    }
  }
  const { submitKubernetes } = await import('../../runtime/launch/kubernetes/submit-kubernetes.js');
  const { weightsDirectory } = await import('../../runtime/weights/resolve-pretrained.js');
  const outcome = await submitKubernetes({
    plan,
    specDir,
    resultsDir: resolve(options.results),
    backend: options.backend,
    only: options.only,
    rerun: options.rerun,
    kubernetes,
    weightsDir: resolve(weightsDirectory()),
    dryRun: Boolean(options.dryRun),
    ...(options.out ? { out: resolve(options.out) } : {}),
    apply: Boolean(options.apply),
  });
  describeKubernetesOutcome(outcome, spec, options);
}

function checkCommonOptions(options: SubmitOptions): void {
  if (options.gpusPerRun && (options.backend === 'wasm' || options.backend === 'cpu')) {
    throw new UserError(`--gpus-per-run ${options.gpusPerRun} conflicts with --backend ${options.backend}: GPUs need --backend auto or tensorflow-gpu`);
  }
  checkSbatchArgs(options.sbatchArg);
}

function slurmResources(options: SubmitOptions): SlurmResources {
  return {
    partition: options.partition,
    time: options.time,
    cpusPerRun: options.cpusPerRun,
    mem: options.mem,
    gpusPerRun: options.gpusPerRun,
    maxParallel: options.maxParallel,
    account: options.account,
    qos: options.qos,
    sbatchArgs: options.sbatchArg,
  };
}

function describeOutcome(outcome: SlurmSubmitOutcome, spec: string, options: SubmitOptions): string {
  const lines: string[] = [];
  const skipped = new Map<string, number>();
  for (const { reason } of outcome.list.skipped) skipped.set(reason, (skipped.get(reason) ?? 0) + 1);
  const skippedText = [...skipped].map(([reason, n]) => `${n} ${reason === 'submitted' ? 'already queued or running' : reason}`).join(', ');
  const results = options.results === 'results' ? '' : ` --results ${options.results}`;
  if (outcome.kind === 'nothing') {
    lines.push(`nothing to submit: ${skippedText || 'no runs selected'}`);
    if (skipped.get('submitted')) lines.push(`follow the queued runs with: sweepspec status ${spec}${results}`);
    if (skipped.get('failed')) lines.push(`train failed runs again with: sweepspec submit ${spec} --slurm --rerun failed`);
    return `${lines.join('\n')}\n`;
  }
  if (outcome.kind === 'dry-run') {
    lines.push(`# dry run: would submit ${outcome.list.tasks.length} runs${skippedText ? ` (skipping ${skippedText})` : ''}`);
    for (const task of outcome.list.tasks) lines.push(`#   task ${task.index}: ${task.run_id}  ${task.name}`);
    lines.push('', '# ---- array.sh', outcome.scripts.array, '# ---- report.sh', outcome.scripts.report);
    return `${lines.join('\n')}`;
  }
  const { record, dir } = outcome;
  const throttle = options.maxParallel ? `, at most ${options.maxParallel} at once` : '';
  lines.push(`submitted ${record.tasks.length} run${record.tasks.length === 1 ? '' : 's'} of ${record.spec} to Slurm: job array ${record.jobs.array} (tasks 0-${record.tasks.length - 1}${throttle}), report job ${record.jobs.report} after it`);
  for (const task of record.tasks) lines.push(`  ${record.jobs.array}_${task.index}  ${task.run_id}  ${task.name}`);
  if (skippedText) lines.push(`skipped: ${skippedText}`);
  lines.push(`recorded in ${dir}`);
  lines.push(`follow with: sweepspec status ${spec}${results}   (or squeue -j ${record.jobs.array},${record.jobs.report})`);
  lines.push(`cancel with: sweepspec cancel ${spec}${results}`);
  return `${lines.join('\n')}\n`;
}

function parseCount(min: number): (value: string) => number {
  return (value) => {
    if (!/^[0-9]+$/.test(value) || Number(value) < min) throw new InvalidArgumentError(`must be an integer >= ${min}`);
    return Number(value);
  };
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
