import { describe, expect, it } from 'vitest';
import { jobBaseName, labelValue } from '../../../../runtime/launch/kubernetes/names.js';
import { parseKubernetesOptions } from '../../../../runtime/launch/kubernetes/options.js';
import { memoryQuantity } from '../../../../runtime/launch/kubernetes/resources.js';

const BASE = { image: 'sweepspec:1', resultsPvc: 'results' };

describe('parseKubernetesOptions', () => {
  it('fills the documented defaults', () => {
    expect(parseKubernetesOptions(BASE)).toEqual({
      ok: true,
      options: { image: 'sweepspec:1', resultsClaim: 'results', namespace: 'default', gpusPerRun: 0, cpusPerRun: 1, memory: '8Gi', retries: 3, jobWideRetries: false },
    });
  });

  it('names every missing or bad option at once', () => {
    const result = parseKubernetesOptions({ mem: '8 GB', cpusPerRun: '1.5', gpusPerRun: '-1', maxParallel: '0', namespace: 'My_NS', retries: 'x' });
    expect(result).toEqual({
      ok: false,
      messages: [
        '--kubernetes needs --image IMAGE: the runner image every pod runs (docs/cluster.md, "The runner image")',
        '--kubernetes needs --results-pvc NAME: the ReadWriteMany PersistentVolumeClaim that holds the results folder',
        '--namespace "My_NS" is not a namespace name (lower-case letters, digits and \'-\', at most 63)',
        '--mem "8 GB" is not a size: give a whole number with an optional unit K, M, G or T (binary, as in Slurm: 16G = 16 GiB), e.g. 16G or 512M',
        '--cpus-per-run "1.5" must be a whole number from 1 to 1024',
        '--gpus-per-run "-1" must be a whole number from 0 to 64',
        '--retries "x" must be a whole number from 0 to 100',
        '--max-parallel "0" must be a whole number from 1 to 100000',
      ],
    });
  });

  it('refuses claim names and images Kubernetes would refuse', () => {
    const result = parseKubernetesOptions({ image: 'my image', resultsPvc: 'Results_PVC', dataPvc: '-data' });
    expect(result.ok === false && result.messages).toEqual([
      '--image "my image" is not an image reference (it contains white space)',
      '--results-pvc "Results_PVC" is not a claim name (lower-case letters, digits, \'-\' and \'.\', at most 253)',
      '--data-pvc "-data" is not a claim name (lower-case letters, digits, \'-\' and \'.\', at most 253)',
    ]);
  });
});

describe('memoryQuantity (--mem in Slurm units, written with Kubernetes binary suffixes)', () => {
  it.each([
    ['16G', '16Gi'],
    ['16Gi', '16Gi'],
    ['512M', '512Mi'],
    ['2048', '2048Mi'],
    ['1T', '1Ti'],
    ['64K', '64Ki'],
  ])('%s -> %s', (text, quantity) => {
    expect(memoryQuantity(text)).toEqual({ ok: true, value: quantity });
  });

  it.each(['0', '16GB', '1.5G', 'G', '16g', '-1G', ''])('refuses %j', (text) => {
    expect(memoryQuantity(text).ok).toBe(false);
  });
});

describe('names', () => {
  it('makes a job name a short DNS label that keeps the end of the submission id', () => {
    expect(jobBaseName('quickstart', '20261202T103000Z-7f3a')).toBe('sweepspec-quickstart-20261202t103000z-7f3a');
    const long = jobBaseName('A_very_long_study_name_that_goes_on_and_on', 'submission-0000000000000000-zz');
    expect(long).toBe('sweepspec-a-very-long-s-sion-0000000000000000-zz');
    expect(long.length).toBeLessThanOrEqual(48);
    expect(jobBaseName('__', '--')).toBe('sweepspec-x-x');
  });

  it('makes label values of at most 63 characters that start and end alphanumeric', () => {
    expect(labelValue('_study/name_')).toBe('study-name');
    expect(labelValue('a'.repeat(70)).length).toBe(63);
  });
});
