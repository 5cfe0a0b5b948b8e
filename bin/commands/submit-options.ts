import { UserError } from '../user-error.js';

/** sbatch options that submit sets itself: passing them through --sbatch-arg would break the submission. */
const MANAGED: Readonly<Record<string, string>> = {
  '--array': 'one task per run is how runs map to tasks', '-a': 'one task per run is how runs map to tasks',
  '--dependency': 'the report job depends on the array', '-d': 'the report job depends on the array',
  '--output': 'task logs go to the submission folder', '-o': 'task logs go to the submission folder',
  '--error': 'task logs go to the submission folder', '-e': 'task logs go to the submission folder',
  '--chdir': 'tasks start where submit ran', '-D': 'tasks start where submit ran',
  '--hold': 'submit releases the array once recorded', '-H': 'submit releases the array once recorded',
  '--parsable': 'submit reads the job ids', '--wrap': 'submit writes the batch script',
  '--requeue': 'tasks requeue themselves', '--no-requeue': 'tasks requeue themselves to resume',
  '--signal': 'tasks are signalled before the time limit to save and requeue', '--open-mode': 'requeued tasks append to their log',
};

/** Options that have their own flag: giving both is a conflict, not a silent override. */
const OWN_FLAG: Readonly<Record<string, string>> = {
  '--partition': '--partition', '-p': '--partition', '--time': '--time', '-t': '--time',
  '--cpus-per-task': '--cpus-per-run', '-c': '--cpus-per-run', '--mem': '--mem', '--mem-per-cpu': '--mem',
  '--gres': '--gpus-per-run', '--gpus': '--gpus-per-run', '-G': '--gpus-per-run', '--gpus-per-task': '--gpus-per-run',
  '--account': '--account', '-A': '--account', '--qos': '--qos', '-q': '--qos',
};

/**
 * Each --sbatch-arg is one sbatch option (`--name=value` or a bare flag); exit 2 when it is one that
 * submit manages, or one that has its own submit flag (two ways to say it would be a silent override).
 */
export function checkSbatchArgs(sbatchArgs: readonly string[]): void {
  for (const arg of sbatchArgs) {
    if (!arg.startsWith('-')) throw new UserError(`--sbatch-arg ${arg}: give one sbatch option such as --constraint=a100`);
    const name = arg.startsWith('--') ? arg.split('=')[0] : arg.slice(0, 2);
    const managed = MANAGED[name];
    if (managed) throw new UserError(`--sbatch-arg ${arg} conflicts with submit: ${managed}`);
    const own = OWN_FLAG[name];
    if (own) throw new UserError(`--sbatch-arg ${arg} conflicts with submit's own ${own}: use ${own}`);
  }
}
