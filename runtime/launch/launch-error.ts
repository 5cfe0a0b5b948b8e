/**
 * A launch problem the user must act on, as a value with a stable code. The
 * CLI prints the message and exits with `exitCode`: 2 for input the user can
 * fix before anything was sent (conflicting options, no sbatch here), 1 when
 * the scheduler refused or failed (its own message is in `message`).
 */
export class LaunchError extends Error {
  readonly code: LaunchErrorCode;
  readonly exitCode: 1 | 2;

  constructor(code: LaunchErrorCode, message: string, exitCode: 1 | 2) {
    super(message);
    this.name = 'LaunchError';
    this.code = code;
    this.exitCode = exitCode;
  }
}

export type LaunchErrorCode =
  | 'SCHEDULER_MISSING'
  | 'SCHEDULER_REJECTED'
  | 'SCHEDULER_FAILED'
  | 'SUBMISSION_UNREADABLE'
  | 'TASK_OUT_OF_RANGE'
  | 'KUBERNETES_VOLUMES'
  | 'KUBERNETES_MANIFESTS';
