import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../bin/cli.js';
import { validateManifests } from '../../../runtime/launch/kubernetes/validate-manifests.js';

const SPEC = 'test/bin/commands/fixtures/kubernetes/tiny.yaml';
const DATA = resolve('data/fmnist-mini');
const BIN = resolve('bin/sweepspec.js');
const exec = promisify(execFile);

let dir: string;
let results: string;
let bin: string;
const savedPath = process.env.PATH;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'submit-k8s-'));
  results = join(dir, 'results');
  bin = join(dir, 'bin');
  await mkdir(bin);
});
afterEach(async () => {
  process.env.PATH = savedPath;
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

async function sweepspec(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  process.exitCode = undefined;
  try {
    const code = await main(['node', 'sweepspec', ...args]);
    return { code, stdout, stderr };
  } finally {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  }
}

const submit = (...extra: string[]) =>
  sweepspec('submit', SPEC, '--kubernetes', '--image', 'sweepspec:test', '--results-pvc', 'sweeps', '--results', results, '--data-pvc', 'fmnist', ...extra);

/**
 * A kubectl that records `apply`'s stdin, and answers `get job` with the JSON in
 * $bin/job-<name>.json (NotFound when there is none). `fail` makes apply fail.
 */
async function fakeKubectl(options: { fail?: string } = {}): Promise<void> {
  const script = [
    '#!/bin/sh',
    'if [ "$1" = apply ]; then',
    `  cat > "${bin}/applied.yaml"`,
    options.fail ? `  echo '${options.fail}' >&2; exit 1` : '  echo "job.batch/x created"; exit 0',
    'fi',
    `f="${bin}/job-$3.json"`,
    'if [ -f "$f" ]; then cat "$f"; else echo "Error from server (NotFound): jobs.batch \\"$3\\" not found" >&2; exit 1; fi',
  ].join('\n');
  await writeFile(join(bin, 'kubectl'), `${script}\n`);
  await chmod(join(bin, 'kubectl'), 0o755);
  process.env.PATH = `${bin}:/usr/bin:/bin`;
}

async function submissions(): Promise<string[]> {
  return readdir(join(results, 'kube-tiny', 'submissions')).catch(() => []);
}

describe('a pod of the submission, played by a local process', () => {
  // Cost: one squeezenet1_1 epoch at 32 px on the 800-image sample, and one report (about 10 s of CPU).
  it('trains its run with the container command and environment of the manifest, and the report container reports it', async () => {
    const out = join(dir, 'job.yaml');
    expect((await submit('--out', out)).code).toBe(0);
    const docs = parseAllDocuments(await readFile(out, 'utf8')).map((d) => d.toJS());
    const [train, report] = docs.filter((d) => d.kind === 'Job');
    const container = train.spec.template.spec.containers[0];
    expect(container.command).toEqual(['sweepspec']);
    const podEnv = { ...process.env, SWEEPSPEC_LEASE_HOST: `${train.metadata.name}-1-x7k2p`, JOB_COMPLETION_INDEX: '1' };
    const args = container.args.map((a: string) => a.replace('$(JOB_COMPLETION_INDEX)', podEnv.JOB_COMPLETION_INDEX));
    const trained = await exec(process.execPath, [BIN, ...args], { env: podEnv });
    expect(trained.stdout).toMatch(/task 1: run [0-9a-f]{12} \(lr=0\.0003\) is completed/);
    const record = JSON.parse(await readFile(join(args[1], 'submission.json'), 'utf8'));
    const run = JSON.parse(await readFile(join(results, 'kube-tiny', 'runs', record.tasks[1].run_id, 'record.json'), 'utf8'));
    expect(run.status).toBe('completed');
    const reportContainer = report.spec.template.spec.containers[0];
    const reported = await exec(process.execPath, [BIN, ...reportContainer.args], { env: process.env });
    expect(reported.stdout.trim()).toBe(join(results, 'kube-tiny', 'report.html'));
    expect(existsSync(join(results, 'kube-tiny', 'report.html'))).toBe(true);
  }, 300_000);
});

describe('a model-based search on the cluster', () => {
  // Cost: two squeezenet1_1 epochs at 32 px on the 800-image sample (about 15 s of CPU).
  it('gives each proposal slot a task; the pod proposes its run from the results so far and trains it; a later submit skips it', async () => {
    const tpe = (...extra: string[]) =>
      sweepspec('submit', 'test/bin/commands/fixtures/kubernetes/tiny-tpe.yaml', '--kubernetes', '--image', 'sweepspec:test', '--results-pvc', 'sweeps', '--results', results, '--data-pvc', 'fmnist', ...extra);
    const out = join(dir, 'job.yaml');
    const first = await tpe('--out', out);
    expect(first.code).toBe(0);
    const train = parseAllDocuments(await readFile(out, 'utf8')).map((d) => d.toJS()).find((d) => d.kind === 'Job' && d.spec.completionMode === 'Indexed');
    expect(train.spec.completions).toBe(3);
    const [submission] = await readdir(join(results, 'kube-tpe', 'submissions'));
    const record = JSON.parse(await readFile(join(results, 'kube-tpe', 'submissions', submission, 'submission.json'), 'utf8'));
    expect(record.tasks.map((t: { run_id: string }) => t.run_id)).toEqual([expect.stringMatching(/^[0-9a-f]{12}$/), 'lr-search#2', 'lr-search#3']);

    // The startup draw's pod, then the first slot's: it proposes from the draw's result.
    const container = train.spec.template.spec.containers[0];
    const play = (index: string) =>
      exec(process.execPath, [BIN, ...container.args.map((a: string) => a.replace('$(JOB_COMPLETION_INDEX)', index))], {
        env: { ...process.env, SWEEPSPEC_LEASE_HOST: `pod-${index}`, JOB_COMPLETION_INDEX: index },
      });
    expect((await play('0')).stdout).toMatch(/task 0: run [0-9a-f]{12} \(lr=\S+\) is completed/);
    const slot = await play('1');
    const [, proposed] = /task 1: search slot lr-search#2: run ([0-9a-f]{12}) is completed/.exec(slot.stdout) ?? [];
    expect(proposed).toBeDefined();
    const proposal = JSON.parse(await readFile(join(results, 'kube-tpe', 'search', 'lr-search', 'slot-0001.json'), 'utf8'));
    expect(proposal).toMatchObject({ slot: 1, run: proposed, below: [record.tasks[0].run_id] });

    // Submitting again gives a task only to the slot nobody has filled.
    const again = await tpe('--dry-run');
    expect(again.stderr).toContain('would submit 1 runs (skipping 2 completed)');
    expect(again.stderr).toContain('index 0: lr-search#3');
  }, 300_000);
});

describe('sweepspec submit --kubernetes', () => {
  it('--out writes schema-valid manifests whose pods run `task` on the recorded submission, mounted at the same paths', async () => {
    const out = join(dir, 'job.yaml');
    const result = await submit('--out', out, '--max-parallel', '1', '--mem', '2G');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const [id] = await submissions();
    const submission = join(results, 'kube-tiny', 'submissions', id);
    expect(result.stdout).toContain(`prepared 2 runs of ${SPEC} for Kubernetes`);
    expect(result.stdout).toContain(`recorded in ${submission}`);
    const record = JSON.parse(await readFile(join(submission, 'submission.json'), 'utf8'));
    expect(record).toMatchObject({ engine: 'kubernetes', results_dir: results, spec_dir: resolve('test/bin/commands/fixtures/kubernetes'), jobs: { namespace: 'default' } });
    expect(record.tasks.map((t: { index: number }) => t.index)).toEqual([0, 1]);
    const yaml = await readFile(out, 'utf8');
    expect(await readFile(join(submission, 'manifests.yaml'), 'utf8')).toBe(yaml);
    const docs = parseAllDocuments(yaml).map((d) => d.toJS());
    expect(validateManifests(docs)).toEqual([]);
    const train = docs.find((d) => d.kind === 'Job' && d.metadata.name === record.jobs.train);
    expect(train.spec).toMatchObject({ completions: 2, parallelism: 1, completionMode: 'Indexed' });
    const pod = train.spec.template.spec;
    expect(pod.containers[0].args).toEqual(['task', submission, '--index', '$(JOB_COMPLETION_INDEX)']);
    expect(pod.containers[0].resources.limits).toEqual({ memory: '2Gi' });
    expect(pod.containers[0].volumeMounts).toEqual([
      { name: 'results', mountPath: results },
      { name: 'data', mountPath: DATA, readOnly: true },
    ]);
  });

  it('--dry-run prints the manifests and writes nothing', async () => {
    const result = await submit('--dry-run');
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('# dry run: would submit 2 runs; nothing written');
    expect(validateManifests(parseAllDocuments(result.stdout).map((d) => d.toJS()))).toEqual([]);
    expect(existsSync(results)).toBe(false);
  });

  it('--apply pipes the manifests to kubectl, and skips runs an earlier submission still trains', async () => {
    await fakeKubectl();
    const first = await submit('--apply');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('job.batch/x created');
    const [id] = await submissions();
    const record = JSON.parse(await readFile(join(results, 'kube-tiny', 'submissions', id, 'submission.json'), 'utf8'));
    expect(await readFile(join(bin, 'applied.yaml'), 'utf8')).toBe(await readFile(join(results, 'kube-tiny', 'submissions', id, 'manifests.yaml'), 'utf8'));

    // The Job says index 0 completed and index 1 still runs. Run 1 is skipped; run 0 has no record in the
    // results folder (nothing really trained here), so by the runner's own rule it is pending and gets a task.
    await writeFile(join(bin, `job-${record.jobs.train}.json`), JSON.stringify({ status: { completedIndexes: '0', active: 1 } }));
    const second = await submit('--apply');
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('skipped: 1 already queued or running');
    const ids = await submissions();
    expect(ids).toHaveLength(2);
    const secondId = ids.find((name) => name !== id)!; // both in one second: the names need not sort by time
    const again = JSON.parse(await readFile(join(results, 'kube-tiny', 'submissions', secondId, 'submission.json'), 'utf8'));
    expect(again.tasks.map((t: { run_id: string }) => t.run_id)).toEqual([record.tasks[0].run_id]);

    // Both Jobs finished: nothing is active any more.
    await writeFile(join(bin, `job-${record.jobs.train}.json`), JSON.stringify({ status: { conditions: [{ type: 'Complete', status: 'True' }] } }));
    const third = await submit('--dry-run');
    expect(third.stderr).toContain('would submit 2 runs');
  });

  it('status shows what the cluster says of each index, or why it cannot', async () => {
    await fakeKubectl();
    expect((await submit('--apply')).code).toBe(0);
    const [id] = await submissions();
    const record = JSON.parse(await readFile(join(results, 'kube-tiny', 'submissions', id, 'submission.json'), 'utf8'));
    await writeFile(join(bin, `job-${record.jobs.train}.json`), JSON.stringify({ status: { completedIndexes: '1', active: 1 } }));
    const status = await sweepspec('status', SPEC, '--results', results);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`Kubernetes submission ${id}: Indexed Job ${record.jobs.train} (namespace default), report Job: gone`);
    expect(status.stdout).toMatch(new RegExp(`  0 +${record.tasks[0].run_id}  lr=0\\.001 +pending 0/1 +- +waiting for a pod`));
    expect(status.stdout).toMatch(new RegExp(`  1 +${record.tasks[1].run_id}  lr=0\\.0003 +pending 0/1 +- +completed`));
    process.env.PATH = join(dir, 'empty');
    const without = await sweepspec('status', SPEC, '--results', results);
    expect(without.stdout).toContain("kubectl not found on PATH: the cluster's view of the Kubernetes submissions is left out");
    const cancel = await sweepspec('cancel', SPEC, '--results', results);
    expect(cancel.stderr).toContain(`Kubernetes submission ${id}: cancel it with kubectl -n default delete job,serviceaccount,role,rolebinding -l sweepspec/submission=${id}`);
  });

  it('--apply without kubectl on PATH is exit 2 and writes nothing', async () => {
    process.env.PATH = bin; // empty folder
    const result = await submit('--apply', '--out', join(dir, 'job.yaml'));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--apply needs kubectl on PATH, and there is none');
    expect(existsSync(results)).toBe(false);
    expect(existsSync(join(dir, 'job.yaml'))).toBe(false);
  });

  it("a refused apply shows kubectl's message, exits 1 and records nothing", async () => {
    await fakeKubectl({ fail: 'error: namespaces "vision" not found' });
    const result = await submit('--apply', '--namespace', 'vision', '--out', join(dir, 'job.yaml'));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('kubectl apply failed (exit 1): error: namespaces "vision" not found');
    expect(await submissions()).toEqual([]);
    expect(existsSync(join(dir, 'job.yaml'))).toBe(false);
  });

  it.each([
    [['--mem', '2 GB'], '--mem "2 GB" is not a size'],
    [['--cpus-per-run', '0'], "error: option '--cpus-per-run <n>' argument '0' is invalid"],
    [['--slurm'], '--slurm and --kubernetes conflict'],
    [['--partition', 'gpu'], '--partition is for Slurm, not --kubernetes'],
    [['--dry-run', '--out', 'x.yaml'], '--dry-run conflicts with --out'],
    [['--data-mount', '/elsewhere'], 'is on no volume the pods mount'],
    [['--namespace', 'Bad_NS'], '--namespace "Bad_NS" is not a namespace name'],
  ])('%j is exit 2: %s', async (extra, message) => {
    const result = await submit(...extra);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(existsSync(results)).toBe(false);
  });

  it('needs --image and --results-pvc, and says what each is', async () => {
    const result = await sweepspec('submit', SPEC, '--kubernetes', '--results', results);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--kubernetes needs --image IMAGE');
    expect(result.stderr).toContain('--kubernetes needs --results-pvc NAME');
  });

  it('refuses data that no mounted volume holds', async () => {
    const result = await sweepspec('submit', SPEC, '--kubernetes', '--image', 'i', '--results-pvc', 'r', '--results', results);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`the data root of run lr=0.001 (${DATA}) is on no volume the pods mount`);
    expect(existsSync(results)).toBe(false);
  });
});
