import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseKubernetesOptions, type KubernetesCliOptions } from '../../../../runtime/launch/kubernetes/options.js';
import { prepareKubernetesSubmission, type KubernetesSubmissionInput } from '../../../../runtime/launch/kubernetes/prepare-submission.js';
import { validateManifests } from '../../../../runtime/launch/kubernetes/validate-manifests.js';
import { compileCorpusFile } from '../../../compiler/corpus-host.js';
import { expectGolden } from '../../../compiler/golden.js';

const GOLDEN = 'test/runtime/launch/kubernetes/golden';

/** A submission of every run of a spec, with fixed absolute paths so the golden files do not depend on the checkout. */
function input(spec: string, cli: KubernetesCliOptions, paths: { specDir: string; resultsDir: string; weightsDir?: string }): KubernetesSubmissionInput {
  const plan = compileCorpusFile(spec).plan!;
  const options = parseKubernetesOptions(cli);
  if (!options.ok) throw new Error(options.messages.join('\n'));
  const submissionId = '20261202T103000Z-7f3a';
  return {
    options: options.options,
    study: plan.name,
    submissionId,
    submissionDir: `${paths.resultsDir}/${plan.name}/submissions/${submissionId}`,
    resultsDir: paths.resultsDir,
    specDir: paths.specDir,
    runs: plan.runs,
    weightsDir: paths.weightsDir ?? '/home/user/.cache/sweepspec/weights',
  };
}

const CASES: { name: string; make: () => KubernetesSubmissionInput }[] = [
  {
    // Data on its own claim, mounted where the spec's data.root points; CPU defaults.
    name: 'quickstart-data-claim',
    make: () => input('specs/quickstart.yaml', { image: 'registry.example.com/sweepspec:0.1.0', resultsPvc: 'sweeps', dataPvc: 'fmnist' }, { specDir: '/work/study/specs', resultsDir: '/work/study/results' }),
  },
  {
    // Spec and data inside the results folder (one claim for all); GPUs, a namespace, at most 2 pods at once.
    name: 'quickstart-gpu-one-claim',
    make: () =>
      input(
        'specs/quickstart.yaml',
        { image: 'ghcr.io/lab/sweepspec:gpu', resultsPvc: 'lab-share', namespace: 'vision', gpusPerRun: '1', cpusPerRun: '8', mem: '32G', maxParallel: '2', retries: '5' },
        { specDir: '/mnt/share/specs', resultsDir: '/mnt/share' },
      ),
  },
  {
    // ImageNet weights on the results claim (SWEEPSPEC_WEIGHTS), a weights file and two data roots under --data-mount, job-wide retries.
    name: 'transfer-weights-job-wide-retries',
    make: () =>
      input(
        'test/runtime/launch/kubernetes/fixtures/transfer.yaml',
        { image: 'sweepspec:local', resultsPvc: 'results', dataPvc: 'datasets', dataMount: '../datasets', mem: '12288', jobWideRetries: true },
        { specDir: '/data/study', resultsDir: '/data/results', weightsDir: '/data/results/weights' },
      ),
  },
];

describe('Kubernetes manifests', () => {
  for (const c of CASES) {
    it(`${c.name}: matches its golden file, byte for byte, and every document passes the API schemas`, () => {
      const prepared = prepareKubernetesSubmission(c.make());
      if (!prepared.ok) throw new Error(prepared.message);
      expectGolden(`${GOLDEN}/${c.name}.yaml`, prepared.yaml);
      // The same again: nothing in the output depends on time or order of iteration.
      const again = prepareKubernetesSubmission(c.make());
      expect(again.ok && again.yaml).toBe(prepared.yaml);
      // What a cluster would read: the YAML parsed back, not the objects in memory.
      const documents = parseAllDocuments(prepared.yaml).map((d) => d.toJS());
      expect(documents).toEqual(JSON.parse(JSON.stringify(prepared.manifests)));
      expect(validateManifests(documents)).toEqual([]);
    });
  }

  it('gives one completion index per run and caps parallelism at the run count', () => {
    const submission = CASES[0].make();
    const prepared = prepareKubernetesSubmission({ ...submission, options: { ...submission.options, maxParallel: 50 } });
    if (!prepared.ok) throw new Error(prepared.message);
    const train = prepared.manifests.find((m) => m.kind === 'Job' && m.metadata?.name === prepared.trainJob) as unknown as { spec: Record<string, unknown> };
    expect(train.spec).toMatchObject({ completionMode: 'Indexed', completions: 4, parallelism: 4, backoffLimitPerIndex: 3 });
    expect(prepared.reportJob).toBe(`${prepared.trainJob}-report`);
  });

  it('keeps job names DNS labels that leave room for the pod hostname <job>-<index>', () => {
    const prepared = prepareKubernetesSubmission(CASES[2].make());
    if (!prepared.ok) throw new Error(prepared.message);
    expect(prepared.trainJob).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    expect(`${prepared.trainJob}-999999`.length).toBeLessThanOrEqual(63);
    expect(prepared.reportJob.length).toBeLessThanOrEqual(63);
  });

  it('says when ImageNet weights are on no mounted volume, and sets no SWEEPSPEC_WEIGHTS then', () => {
    const submission = CASES[2].make();
    const prepared = prepareKubernetesSubmission({ ...submission, weightsDir: '/root/.cache/sweepspec/weights' });
    if (!prepared.ok) throw new Error(prepared.message);
    expect(prepared.notices).toEqual([
      'runs use ImageNet weights and /root/.cache/sweepspec/weights is on no mounted volume: the image must hold them (docs/cluster.md, "The runner image")',
    ]);
    expect(prepared.yaml).not.toContain('SWEEPSPEC_WEIGHTS');
  });

  it('refuses an empty submission', () => {
    const prepared = prepareKubernetesSubmission({ ...CASES[0].make(), runs: [] });
    expect(prepared).toEqual({ ok: false, code: 'K8S_NOTHING_TO_RUN', message: 'no run needs training: nothing to submit' });
  });
});
