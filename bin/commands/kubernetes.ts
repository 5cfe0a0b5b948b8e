import { type Command, InvalidArgumentError } from 'commander';
import { UserError } from '../user-error.js';

/**
 * Commands that run inside the pods of a Kubernetes submission (the
 * manifests `submit --kubernetes` writes call them); not for people.
 */
export function register(program: Command): void {
  const kubernetes = program.command('kubernetes').description('Used inside the pods of a Kubernetes submission (see docs/cluster.md)');
  kubernetes
    .command('wait-job')
    .description("Wait until a Job of this pod's namespace has finished, however it finished (the report Job's init container)")
    .argument('<job>', 'Job name')
    .option('--namespace <ns>', "namespace of the Job (default: this pod's)")
    .option('--poll-seconds <n>', 'seconds between two looks at the Job', parsePoll, 30)
    .action(async (job: string, options: { namespace?: string; pollSeconds: number }) => {
      const { apiJobReader, inClusterConfig, waitForJob } = await import('../../runtime/launch/kubernetes/wait-job.js');
      const config = await inClusterConfig();
      if (!config) {
        throw new UserError('kubernetes wait-job runs inside a pod: KUBERNETES_SERVICE_HOST or the service account files under /var/run/secrets/kubernetes.io/serviceaccount are missing');
      }
      const log = (line: string) => void process.stdout.write(`${new Date().toISOString()} ${line}\n`);
      log(`waiting for job ${job} to finish`);
      const result = await waitForJob({ name: job, read: apiJobReader(config, options.namespace), pollMs: options.pollSeconds * 1000, log });
      if (!result.ok) throw new UserError(`${result.code}: ${result.message}`, { exitCode: 1 });
    });
}

function parsePoll(value: string): number {
  const n = Number(value);
  if (!/^[0-9]+$/.test(value) || n < 1 || n > 3600) throw new InvalidArgumentError('must be a whole number of seconds from 1 to 3600');
  return n;
}
