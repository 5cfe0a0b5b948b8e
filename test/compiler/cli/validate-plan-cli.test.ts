import { spawnSync } from 'node:child_process';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { register as registerPlan } from '../../../bin/commands/plan.js';
import { register as registerValidate } from '../../../bin/commands/validate.js';
import { UserError } from '../../../bin/user-error.js';
import { compileCorpusFile } from '../corpus-host.js';

/** Run `sweepspec <args>` with only the compiler's commands, in process; returns the exit code and output. */
async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  const program = new Command('sweepspec').exitOverride().configureOutput({ writeErr: (text) => (stderr += text) });
  registerValidate(program);
  registerPlan(program);
  let code = 0;
  try {
    await program.parseAsync(['node', 'sweepspec', ...args]);
  } catch (error) {
    if (error instanceof UserError) stderr += `sweepspec: ${error.message}\n`;
    code = error instanceof UserError ? error.exitCode : 2;
  }
  vi.restoreAllMocks();
  return { code, stdout, stderr };
}

describe('sweepspec validate and plan', () => {
  afterEach(() => vi.restoreAllMocks());

  it('the real binary prints each error as file:line:col: error[CODE] with a code frame, exits 2, no stack trace', () => {
    const result = spawnSync(process.execPath, ['bin/sweepspec.js', 'validate', 'test/compiler/invalid/many-errors-at-once.yaml', 'test/compiler/valid/minimal.yaml'], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    const lines = result.stderr.split('\n');
    expect(lines[0]).toBe('test/compiler/invalid/many-errors-at-once.yaml:1:10: error[INVALID_VALUE]: version: must be 1, got 2');
    expect(lines.slice(1, 4)).toEqual(['  |', '1 | version: 2', '  |          ^']);
    expect(result.stderr.match(/error\[/g)).toHaveLength(11);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stderr).toContain('sweepspec: 1 of 2 specs invalid');
    expect(result.stdout).toBe('test/compiler/valid/minimal.yaml: ok (1 experiment, 1 run)\n');
  });

  it('validate --data fails on a missing data root that plain validate ignores', async () => {
    expect((await run('validate', 'test/compiler/valid/pretrained-path.yaml')).code).toBe(0);
    const withData = await run('validate', '--data', 'test/compiler/valid/pretrained-path.yaml');
    expect(withData.code).toBe(2);
    expect(withData.stderr).toContain('error[DATA_ROOT_MISSING]: data root test/compiler/fixtures/no-such-data does not exist');
  });

  it('plan --json prints the compiled plan, byte for byte', async () => {
    const result = await run('plan', 'test/compiler/valid/include-exclude.yaml', '--json');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${JSON.stringify(compileCorpusFile('test/compiler/valid/include-exclude.yaml').plan, null, 2)}\n`);
  });

  it('plan prints a table per experiment with the varying values and totals', async () => {
    const result = await run('plan', 'test/compiler/valid/shared-runs.yaml');
    expect(result.stdout.split('\n')).toEqual([
      'shared-runs: test/compiler/valid/shared-runs.yaml',
      '',
      'architectures (2 runs)',
      expect.stringMatching(/^ {2}run {12}id {12}model\.arch$/),
      expect.stringMatching(/^ {2}arch=resnet18 {2}[0-9a-f]{12} {2}resnet18 {4}\(also in learning-rate\)$/),
      expect.stringMatching(/^ {2}arch=resnet34 {2}[0-9a-f]{12} {2}resnet34$/),
      '',
      'learning-rate (2 runs)',
      expect.stringMatching(/^ {2}run {12}id {12}optimizer\.lr$/),
      expect.stringMatching(/^ {2}lr=0\.1 {9}[0-9a-f]{12} {2}0\.1$/),
      expect.stringMatching(/^ {2}arch=resnet18 {2}[0-9a-f]{12} {2}0\.01 {10}\(also in architectures\)$/),
      '',
      '3 runs to train in 2 experiments (4 planned, 1 shared between experiments)',
      '',
    ]);
  });

  it('plan refuses a study above --max-runs with the exact count, and rejects a bad flag value', async () => {
    const refused = await run('plan', 'test/compiler/valid/repeats.yaml', '--max-runs', '5');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('error[TOO_MANY_RUNS]: the study expands to 6 runs (noise: 6), above the limit of 5');
    const bad = await run('plan', 'test/compiler/valid/repeats.yaml', '--max-runs', 'lots');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("option '--max-runs <n>' argument 'lots' is invalid");
  });
});
