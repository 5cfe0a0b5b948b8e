import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../../bin/cli.js';
import { writeImageStudy } from '../../runtime/runner/fixtures/image-study.js';

let dir: string;
let spec: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'submit-cli-'));
  spec = await writeImageStudy(dir, { epochs: 1, lrs: [0.1, 0.2], trainPerClass: 2 });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  process.exitCode = undefined;
  try {
    return { code: await main(['node', 'sweepspec', ...args]), stdout, stderr };
  } finally {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  }
}

describe('sweepspec submit: options', () => {
  it.each([
    [['--sbatch-arg=--array=0-3'], '--sbatch-arg --array=0-3 conflicts with submit: one task per run is how runs map to tasks'],
    [['--partition', 'gpu', '--sbatch-arg=--partition=cpu'], "--sbatch-arg --partition=cpu conflicts with submit's own --partition: use --partition"],
    [['--sbatch-arg=-t', '--sbatch-arg=10'], "--sbatch-arg -t conflicts with submit's own --time: use --time"],
    [['--gpus-per-run', '1', '--backend', 'wasm'], '--gpus-per-run 1 conflicts with --backend wasm: GPUs need --backend auto or tensorflow-gpu'],
  ])('%j conflict: exit 2', async (extra, message) => {
    const out = await cli('submit', spec, '--slurm', '--dry-run', '--results', join(dir, 'results'), ...extra);
    expect(out.code).toBe(2);
    expect(out.stderr).toBe(`sweepspec: ${message}\n`);
  });

  it('an engine is required', async () => {
    const out = await cli('submit', spec);
    expect(out).toMatchObject({ code: 2, stderr: 'sweepspec: choose where to submit: --slurm or --kubernetes\n' });
  });

  it('without sbatch on PATH: exit 2, and it says to run on a login node', async () => {
    const path = process.env.PATH;
    process.env.PATH = join(dir, 'empty-bin');
    try {
      const out = await cli('submit', spec, '--slurm', '--results', join(dir, 'results'));
      expect(out.code).toBe(2);
      expect(out.stderr).toContain('sbatch not found on PATH');
      expect(out.stderr).toContain('on a login node');
    } finally {
      process.env.PATH = path;
    }
  });

  it('--dry-run prints both batch scripts and submits nothing', async () => {
    const out = await cli('submit', spec, '--slurm', '--dry-run', '--results', join(dir, 'results'), '--max-parallel', '2', '--time', '1:00:00');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('# dry run: would submit 2 runs');
    expect(out.stdout).toMatch(/#SBATCH --array=0-1%2\n/);
    expect(out.stdout).toContain('#SBATCH --time=1:00:00');
    expect(out.stdout).toContain('#SBATCH --dependency=afterany:<array-job-id>');
  });

  it('task needs exactly one of --index and --report', async () => {
    await writeFile(join(dir, 'x'), '');
    expect((await cli('task', dir)).stderr).toBe('sweepspec: give exactly one of --index N and --report\n');
    expect((await cli('task', dir, '--index', '0')).stderr).toContain('submission.json: not found');
  });
});
