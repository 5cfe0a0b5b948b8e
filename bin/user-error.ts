/**
 * An error that is the user's to fix (bad spec, bad flag, missing file): the
 * CLI prints its message, never a stack trace, and exits with its code
 * (2 for invalid input, 1 for a run or runtime failure the user must act on).
 */
export class UserError extends Error {
  readonly exitCode: number;

  constructor(message: string, options: { exitCode?: number } = {}) {
    super(message);
    this.name = 'UserError';
    this.exitCode = options.exitCode ?? 2;
  }
}
