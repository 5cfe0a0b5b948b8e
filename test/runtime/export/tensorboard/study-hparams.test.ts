import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileFile } from '../../../../bin/load-plan.js';
import { studyHParams } from '../../../../runtime/export/tensorboard/study-hparams.js';
import { STUDY_SPEC } from './fixtures/tensorboard-study.js';

const DEMO = join(import.meta.dirname, '..', '..', '..', '..', 'specs', 'demo.yaml');

function compiled(spec: string) {
  const result = compileFile(spec, { dataCheck: 'off' });
  if (!result.plan) throw new Error(`${spec} does not compile`);
  return { plan: result.plan, study: result.study };
}

describe('studyHParams', () => {
  it('declares the demo\'s three axes and gives all six runs a value on each', () => {
    const { plan, study } = compiled(DEMO);
    const hparams = studyHParams(plan, study);
    expect(hparams.hparams.map(({ name, type, domain }) => ({ name, type, domain }))).toEqual([
      { name: 'optimizer', type: 'string', domain: { kind: 'discrete', values: ['sgd-momentum', 'adam'] } },
      { name: 'schedule', type: 'string', domain: { kind: 'discrete', values: ['constant', 'step', 'cosine'] } },
      // 0, 5 and "all" mix types: TensorBoard domains have one type, so strings.
      { name: 'model.trainable_layers', type: 'string', domain: { kind: 'discrete', values: ['0', '5', 'all'] } },
    ]);
    const byName = Object.fromEntries(plan.runs.map((run) => [run.name, hparams.values[run.id]]));
    expect(byName).toEqual({
      // Outside the schedules experiment, sgd-momentum still has a schedule: "constant" sets nothing, so it holds.
      'sgd-momentum': { optimizer: 'sgd-momentum', schedule: 'constant', 'model.trainable_layers': 'all' },
      adam: { optimizer: 'adam', schedule: 'constant', 'model.trainable_layers': 'all' },
      step: { optimizer: 'adam', schedule: 'step', 'model.trainable_layers': 'all' },
      cosine: { optimizer: 'adam', schedule: 'cosine', 'model.trainable_layers': 'all' },
      'trainable_layers=0': { optimizer: 'adam', schedule: 'constant', 'model.trainable_layers': '0' },
      'trainable_layers=5': { optimizer: 'adam', schedule: 'constant', 'model.trainable_layers': '5' },
    });
    expect(hparams.groups).toEqual({});
  });

  it('without the spec, takes the plan\'s cells and config values, and leaves variants out where a run is not in their experiment', () => {
    const { plan } = compiled(DEMO);
    const hparams = studyHParams(plan);
    const byName = Object.fromEntries(plan.runs.map((run) => [run.name, hparams.values[run.id]]));
    expect(byName['sgd-momentum']).toEqual({ optimizer: 'sgd-momentum', 'model.trainable_layers': 'all' });
    expect(byName['trainable_layers=0']).toEqual({ 'model.trainable_layers': '0' });
    expect(hparams.hparams[2].domain).toEqual({ kind: 'discrete', values: ['all', '0', '5'] });
  });

  describe('random search and repeats', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'hparams-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('declares a distribution as its interval, widened to the values runs outside the search took', async () => {
      const spec = join(dir, 'study.yaml');
      await writeFile(spec, STUDY_SPEC);
      const { plan, study } = compiled(spec);
      const hparams = studyHParams(plan, study);
      const lr = hparams.hparams.find((h) => h.name === 'optimizer.lr')!;
      expect(lr).toMatchObject({ type: 'float64', domain: { kind: 'interval', min: 1e-3, max: 0.1 } });
      const values = plan.runs.map((run) => hparams.values[run.id]['optimizer.lr']);
      expect(values).toEqual(plan.runs.map((run) => run.config.optimizer.lr));
      // Without the spec the sampled values are all a plan tells: a discrete domain.
      expect(studyHParams(plan).hparams.find((h) => h.name === 'optimizer.lr')!.domain.kind).toBe('discrete');
    });

    it('puts repeats of one setting in one session group and declares no "repeat" hparam', async () => {
      const spec = join(dir, 'repeats.yaml');
      await writeFile(spec, STUDY_SPEC.replace('  optimizers:\n    matrix:', '  optimizers:\n    repeats: 2\n    matrix:'));
      const { plan, study } = compiled(spec);
      const hparams = studyHParams(plan, study);
      expect(hparams.hparams.map((h) => h.name)).toEqual(['optimizer', 'optimizer.lr']);
      const groups = plan.runs.filter((run) => run.experiments.includes('optimizers')).map((run) => [run.name, hparams.groups[run.id]]);
      expect(groups).toEqual([
        ['sgd-momentum', 'optimizers/sgd-momentum'],
        ['sgd-momentum#2', 'optimizers/sgd-momentum'],
        ['adam', 'optimizers/adam'],
        ['adam#2', 'optimizers/adam'],
      ]);
    });
  });
});
