import { describe, expect, it } from 'vitest';
import type { RunConfig } from '../../../../compiler/types/run-config.js';
import { planVolumes, type VolumeRequest } from '../../../../runtime/launch/kubernetes/volumes.js';

const run = (name: string, root: string, pretrained = 'none') => ({ name, config: { data: { root }, model: { pretrained } } as unknown as RunConfig });

const REQUEST: VolumeRequest = {
  resultsDir: '/share/results',
  resultsClaim: 'results',
  specDir: '/share/specs',
  runs: [run('a', '../data/fmnist'), run('b', '../data/fmnist')],
  weightsDir: '/root/.cache/sweepspec/weights',
};

describe('planVolumes', () => {
  it('mounts the results claim at the results folder and a data claim at the one data root outside it', () => {
    expect(planVolumes({ ...REQUEST, dataClaim: 'data' })).toEqual({
      ok: true,
      layout: {
        mounts: [
          { name: 'results', claim: 'results', mountPath: '/share/results', readOnly: false },
          { name: 'data', claim: 'data', mountPath: '/share/data/fmnist', readOnly: true },
        ],
        weightsDir: null,
        notices: [],
      },
    });
  });

  it('needs no data claim when the data lies inside the results folder', () => {
    const result = planVolumes({ ...REQUEST, runs: [run('a', '../results/data/fmnist')] });
    expect(result.ok && result.layout.mounts.map((m) => m.name)).toEqual(['results']);
  });

  it('says which run\'s data no volume holds', () => {
    expect(planVolumes(REQUEST)).toEqual({
      ok: false,
      message:
        'the data root of run a (/share/data/fmnist) is on no volume the pods mount: put it under the results folder /share/results ' +
        '(the claim results), or give --data-pvc CLAIM with --data-mount for the folder that claim holds',
    });
  });

  it('needs --data-mount when the runs use several data roots, and checks each against it', () => {
    const runs = [run('a', '../data/fmnist'), run('b', '../data/cifar')];
    expect(planVolumes({ ...REQUEST, runs, dataClaim: 'data' })).toMatchObject({ ok: false, message: expect.stringMatching(/^--data-pvc needs --data-mount PATH here: the runs use 2 data roots/) });
    const ok = planVolumes({ ...REQUEST, runs, dataClaim: 'data', dataMount: '../data' });
    expect(ok.ok && ok.layout.mounts[1].mountPath).toBe('/share/data');
    expect(planVolumes({ ...REQUEST, runs, dataClaim: 'data', dataMount: '../data/fmnist' })).toMatchObject({ ok: false, message: expect.stringContaining('data root of run b (/share/data/cifar)') });
  });

  it('checks weights files like data roots, and does not take a sibling folder whose name starts the same for inside', () => {
    const runs = [run('a', '../results/data', '../results-old/start.safetensors')];
    expect(planVolumes({ ...REQUEST, runs })).toMatchObject({ ok: false, message: expect.stringContaining('the weights file of run a (/share/results-old/start.safetensors)') });
  });

  it('passes the ImageNet weights folder to the pods when a mounted volume holds it', () => {
    const runs = [run('a', '../results/data', 'imagenet')];
    const mounted = planVolumes({ ...REQUEST, runs, weightsDir: '/share/results/weights' });
    expect(mounted.ok && mounted.layout.weightsDir).toBe('/share/results/weights');
    const local = planVolumes({ ...REQUEST, runs });
    expect(local.ok && local.layout).toMatchObject({ weightsDir: null, notices: [expect.stringContaining('the image must hold them')] });
  });

  it('refuses --data-mount without --data-pvc, and a data mount on the results folder', () => {
    expect(planVolumes({ ...REQUEST, dataMount: '../data' })).toMatchObject({ ok: false, message: expect.stringContaining('give --data-pvc too') });
    expect(planVolumes({ ...REQUEST, dataClaim: 'd', dataMount: '/share/results' })).toMatchObject({ ok: false, message: expect.stringContaining('is the results folder itself') });
  });
});
