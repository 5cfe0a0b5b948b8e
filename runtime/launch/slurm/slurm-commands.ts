import { execFile } from 'node:child_process';
import { LaunchError } from '../launch-error.js';

export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs one of Slurm's commands; the environment (SLURM_CONF, PATH) is the caller's. */
export type SlurmRunner = (command: SlurmCommand, args: readonly string[]) => Promise<CommandResult>;

export type SlurmCommand = 'sbatch' | 'squeue' | 'sacct' | 'scancel' | 'scontrol';

/** Slurm's commands as found on PATH. A missing command answers code 127 (as a shell would). */
export const runSlurm: SlurmRunner = (command, args) =>
  new Promise((resolve) => {
    execFile(command, args as string[], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (!error) return resolve({ code: 0, stdout, stderr });
      const errno = (error as NodeJS.ErrnoException).code;
      if (errno === 'ENOENT') return resolve({ code: 127, stdout: '', stderr: `${command}: command not found` });
      resolve({ code: typeof error.code === 'number' ? error.code : 1, stdout, stderr: stderr || error.message });
    });
  });

/** Like the runner, but a failure is a LaunchError carrying Slurm's own message. */
export async function slurmOrThrow(run: SlurmRunner, command: SlurmCommand, args: readonly string[]): Promise<string> {
  const result = await run(command, args);
  if (result.code === 127) throw missing(command);
  if (result.code !== 0) {
    const message = result.stderr.trim() || result.stdout.trim() || `exit code ${result.code}`;
    throw new LaunchError(command === 'sbatch' ? 'SCHEDULER_REJECTED' : 'SCHEDULER_FAILED', `${command} failed: ${message}`, 1);
  }
  return result.stdout;
}

export function missing(command: SlurmCommand): LaunchError {
  return new LaunchError(
    'SCHEDULER_MISSING',
    `${command} not found on PATH: Slurm's commands are needed here; run \`sweepspec submit --slurm\` on a login node of the cluster (or use --dry-run to see the batch scripts)`,
    2,
  );
}
