import { readFileSync } from 'node:fs';
import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';
import { buildManifests } from '../../../../runtime/launch/kubernetes/build-manifests.js';

// The image itself is built where Docker and a registry are (docs/cluster.md); these checks keep the
// Dockerfile in step with the project it packs and with the manifests that start it.
const DOCKERFILE = readFileSync('Dockerfile', 'utf8');
const IGNORED = readFileSync('.dockerignore', 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith('#'));

describe('the runner image recipe', () => {
  it('sends the build every file the CLI and runtime need, and no node_modules', () => {
    const ignored = picomatch(IGNORED.flatMap((p) => [p, `${p}/**`]));
    for (const path of ['package.json', 'package-lock.json', 'bin/sweepspec.js', 'bin/cli.ts', 'runtime/backend/setup-native.ts', 'compiler/compile.ts', 'templates']) {
      expect(ignored(path), path).toBe(false);
    }
    expect(ignored('node_modules/yaml/index.js')).toBe(true);
    expect(ignored('.git/HEAD')).toBe(true);
  });

  it('builds the native backend with the setup command the CLI has, from a pip wheel, on Node 20', async () => {
    expect(DOCKERFILE).toMatch(/^ARG NODE_IMAGE=node:20-bookworm$/m);
    expect(DOCKERFILE).toContain('pip download --no-deps "${TENSORFLOW}" -d /tmp/wheel');
    expect(DOCKERFILE).toContain('node bin/sweepspec.js setup native --tensorflow-wheel /tmp/wheel/*.whl');
    const setup = readFileSync('bin/commands/setup.ts', 'utf8');
    expect(setup).toContain("'--tensorflow-wheel <file>'");
  });

  it('puts on PATH the command every generated container runs', () => {
    expect(DOCKERFILE).toContain('ln -s /opt/sweepspec/bin/sweepspec.js /usr/local/bin/sweepspec');
    const manifests = buildManifests({
      study: 's', submissionId: 'i', submissionDir: '/r/s/submissions/i', taskCount: 1, image: 'img', namespace: 'default',
      cpusPerRun: 1, memory: '1Gi', gpusPerRun: 0, maxParallel: 1, retries: 0, jobWideRetries: false,
      volumes: { mounts: [{ name: 'results', claim: 'r', mountPath: '/r', readOnly: false }], weightsDir: null, notices: [] },
    });
    const commands = manifests
      .filter((m) => m.kind === 'Job')
      .flatMap((job) => {
        const pod = (job as { spec: { template: { spec: { containers: { command?: string[] }[]; initContainers?: { command?: string[] }[] } } } }).spec.template.spec;
        return [...pod.containers, ...(pod.initContainers ?? [])].map((c) => c.command);
      });
    expect(commands).toEqual([['sweepspec'], ['sweepspec'], ['sweepspec']]);
  });
});
