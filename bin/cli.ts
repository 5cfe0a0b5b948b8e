import { Command, CommanderError } from 'commander';
import { LaunchError } from '../runtime/launch/launch-error.js';
import { UserError } from './user-error.js';

/**
 * Each command lives in bin/commands/<name>.ts and exports `register(program)`.
 * Commands import the runtime lazily inside their action so that `validate`
 * and `plan` start without loading TensorFlow.js.
 */
const COMMAND_MODULES: readonly string[] = ['validate', 'plan', 'run', 'status', 'prune', 'report', 'export', 'data', 'models', 'predict', 'setup', 'submit', 'task', 'cancel', 'kubernetes'];

export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('sweepspec')
    .description('Validate, plan, run and report image-classifier experiment studies written as YAML specs')
    .version(await packageVersion())
    .showHelpAfterError()
    .exitOverride();
  for (const name of COMMAND_MODULES) {
    const module = (await import(`./commands/${name}.ts`)) as { register(program: Command): void };
    module.register(program);
  }
  try {
    await program.parseAsync(argv as string[]);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    return exitCodeFor(error);
  }
}

function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    // --help and --version end through exitOverride with code 0.
    return error.exitCode === 0 ? 0 : 2;
  }
  if (error instanceof UserError || error instanceof LaunchError) {
    process.stderr.write(`sweepspec: ${error.message}\n`);
    return error.exitCode;
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(
    `sweepspec: internal error: ${error instanceof Error ? error.message : String(error)}\n` +
      'This is a bug in sweepspec; please report it with the command you ran. Set SWEEPSPEC_DEBUG=1 for the stack trace.\n',
  );
  if (process.env.SWEEPSPEC_DEBUG) process.stderr.write(`${detail}\n`);
  return 1;
}

async function packageVersion(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const text = await readFile(new URL('../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}
