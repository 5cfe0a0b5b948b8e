import type { KubernetesSubmitOutcome } from '../../runtime/launch/kubernetes/submit-kubernetes.js';
import type { KubernetesOptions } from '../../runtime/launch/kubernetes/options.js';
import { parseKubernetesOptions } from '../../runtime/launch/kubernetes/options.js';
import { UserError } from '../user-error.js';
import type { SubmitOptions } from './submit.js';

const SLURM_ONLY: readonly (keyof SubmitOptions)[] = ['partition', 'time', 'account', 'qos', 'sbatchArg'];
const KUBERNETES_ONLY: readonly (keyof SubmitOptions)[] = ['image', 'resultsPvc', 'namespace', 'dataPvc', 'dataMount', 'retries', 'jobWideRetries', 'out', 'apply'];

/** One engine, and only its options: an option the chosen engine would ignore is a mistake worth an exit 2. */
export function checkEngineOptions(options: SubmitOptions, given: (name: string) => boolean): void {
  if (options.slurm && options.kubernetes) throw new UserError('--slurm and --kubernetes conflict: submit to one engine at a time');
  if (!options.slurm && !options.kubernetes) throw new UserError('choose where to submit: --slurm or --kubernetes');
  const flag = (name: string) => `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  const wrong = (options.kubernetes ? SLURM_ONLY : KUBERNETES_ONLY).filter((name) => given(name));
  if (wrong.length > 0) {
    throw new UserError(`${wrong.map(flag).join(', ')} ${wrong.length === 1 ? 'is' : 'are'} for ${options.kubernetes ? 'Slurm' : 'Kubernetes'}, not ${options.kubernetes ? '--kubernetes' : '--slurm'}`);
  }
  if (options.kubernetes && options.dryRun && (options.out || options.apply)) {
    throw new UserError(`--dry-run conflicts with ${options.out ? '--out' : '--apply'}: a dry run prints the manifests and writes nothing`);
  }
}

export function kubernetesOptions(options: SubmitOptions): KubernetesOptions {
  const parsed = parseKubernetesOptions({
    image: options.image,
    resultsPvc: options.resultsPvc,
    namespace: options.namespace,
    dataPvc: options.dataPvc,
    dataMount: options.dataMount,
    cpusPerRun: String(options.cpusPerRun),
    ...(options.gpusPerRun !== undefined ? { gpusPerRun: String(options.gpusPerRun) } : {}),
    ...(options.mem !== undefined ? { mem: options.mem } : {}),
    ...(options.maxParallel !== undefined ? { maxParallel: String(options.maxParallel) } : {}),
    retries: options.retries,
    jobWideRetries: options.jobWideRetries,
  });
  if (!parsed.ok) throw new UserError(parsed.messages.join('\nsweepspec: '));
  return parsed.options;
}

/**
 * Without --out or --apply the manifests go to stdout (`... | kubectl apply -f -`)
 * and everything else to stderr; otherwise the summary goes to stdout.
 */
export function describeKubernetesOutcome(outcome: KubernetesSubmitOutcome, spec: string, options: SubmitOptions): void {
  const toStdout = outcome.kind === 'dry-run' || (outcome.kind === 'submitted' && !options.out && !options.apply);
  const say = (text: string) => void (toStdout ? process.stderr : process.stdout).write(text);
  for (const notice of outcome.notices) process.stderr.write(`sweepspec: note: ${notice}\n`);
  const skipped = new Map<string, number>();
  for (const { reason } of outcome.list.skipped) skipped.set(reason, (skipped.get(reason) ?? 0) + 1);
  const skippedText = [...skipped].map(([reason, n]) => `${n} ${reason === 'submitted' ? 'already queued or running' : reason}`).join(', ');
  if (outcome.kind === 'nothing') {
    say(`nothing to submit: ${skippedText || 'no runs selected'}\n`);
    return;
  }
  if (outcome.kind === 'dry-run') {
    say(`# dry run: would submit ${outcome.list.tasks.length} runs${skippedText ? ` (skipping ${skippedText})` : ''}; nothing written\n`);
    for (const task of outcome.list.tasks) say(`#   index ${task.index}: ${task.run_id}  ${task.name}\n`);
    process.stdout.write(outcome.yaml);
    return;
  }
  const { record, dir } = outcome;
  const ns = record.jobs.namespace;
  const n = record.tasks.length;
  const lines = [
    `${options.apply ? 'submitted' : 'prepared'} ${n} run${n === 1 ? '' : 's'} of ${record.spec} for Kubernetes: Indexed Job ${record.jobs.train} (indexes 0-${n - 1}), report Job ${record.jobs.report} after it, namespace ${ns}`,
    ...record.tasks.map((task) => `  ${task.index}  ${task.run_id}  ${task.name}`),
    ...(skippedText ? [`skipped: ${skippedText}`] : []),
    `recorded in ${dir}`,
    ...(options.out ? [`manifests in ${options.out}${options.apply ? '' : `; apply them with: kubectl apply -f ${options.out}`}`] : []),
    ...(!options.out && !options.apply ? ['manifests on stdout; apply them with: ... | kubectl apply -f -'] : []),
    ...(outcome.applied ? [outcome.applied.trimEnd()] : []),
    `follow with: kubectl -n ${ns} get pods -l sweepspec/submission=${record.id}   and   sweepspec status ${spec}${options.results === 'results' ? '' : ` --results ${options.results}`}`,
    `cancel with: kubectl -n ${ns} delete job ${record.jobs.train} ${record.jobs.report}`,
  ];
  say(`${lines.join('\n')}\n`);
  if (toStdout) process.stdout.write(outcome.yaml);
}
