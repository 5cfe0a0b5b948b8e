import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findOnPath, KUBECTL_MISSING_MESSAGE, kubectlApply } from '../../../../runtime/launch/kubernetes/kubectl.js';

let bin: string;
beforeEach(async () => {
  bin = await mkdtemp(join(tmpdir(), 'fake-kubectl-'));
});
afterEach(async () => {
  await rm(bin, { recursive: true, force: true });
});

/** A kubectl that records its arguments and stdin, then answers like kubectl (or fails with the given message). */
async function fakeKubectl(options: { fail?: string } = {}): Promise<void> {
  const script = [
    '#!/bin/sh',
    `printf '%s\\n' "$@" > "${bin}/args"`,
    `cat > "${bin}/stdin"`,
    options.fail ? `echo '${options.fail}' >&2; exit 1` : 'echo "job.batch/sweepspec-x created"',
  ].join('\n');
  await writeFile(join(bin, 'kubectl'), `${script}\n`);
  await chmod(join(bin, 'kubectl'), 0o755);
}

describe('kubectlApply', () => {
  it('pipes the manifests to `kubectl apply -f -`', async () => {
    await fakeKubectl();
    const manifests = '---\napiVersion: batch/v1\nkind: Job\n';
    const result = await kubectlApply(manifests, { PATH: `${bin}:/usr/bin:/bin` });
    expect(result).toEqual({ ok: true, output: 'job.batch/sweepspec-x created\n' });
    expect(await readFile(join(bin, 'args'), 'utf8')).toBe('apply\n-f\n-\n');
    expect(await readFile(join(bin, 'stdin'), 'utf8')).toBe(manifests);
  });

  it("shows kubectl's own message when the cluster refuses", async () => {
    await fakeKubectl({ fail: 'Error from server (Forbidden): jobs.batch is forbidden' });
    expect(await kubectlApply('---\n', { PATH: `${bin}:/usr/bin:/bin` })).toEqual({
      ok: false,
      code: 'KUBECTL_FAILED',
      message: 'kubectl apply failed (exit 1): Error from server (Forbidden): jobs.batch is forbidden',
    });
  });

  it('says so when kubectl is not on PATH, or not executable', async () => {
    // PATH holds only the empty temporary folder: a kubectl installed on this machine must not count.
    expect(await kubectlApply('---\n', { PATH: bin })).toEqual({ ok: false, code: 'KUBECTL_MISSING', message: KUBECTL_MISSING_MESSAGE });
    await writeFile(join(bin, 'kubectl'), '#!/bin/sh\n');
    expect(findOnPath('kubectl', { PATH: `${bin}:` })).toBeNull();
  });
});
