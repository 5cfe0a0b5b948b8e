import type { RunPlan } from '../../../compiler/types/plan.js';
import type { TensorboardEvent } from './run-events.js';
import type { HParamDeclaration, StudyHParams } from './study-hparams.js';
import { EXPERIMENT_TAG, hparamsValue } from './summaries.js';
import { EPOCH_TAGS, TABLE_METRICS, TEST_TAGS } from './tags.js';

const DATA_TYPE = { string: 'DATA_TYPE_STRING', float64: 'DATA_TYPE_FLOAT64', bool: 'DATA_TYPE_BOOL' } as const;
const DATASET = { training: 'DATASET_TRAINING', validation: 'DATASET_VALIDATION' } as const;

/**
 * The study-level event file: the hparams plugin's Experiment, declaring each
 * hyperparameter with its domain and the metrics the table shows. Written
 * once per study in the TensorBoard folder's root. No clock: wall time 0 and
 * no creation time, so every runner (shards, --jobs, export) writes the same
 * bytes and rewriting it changes nothing.
 */
export function studyEvents(plan: RunPlan, hparams: StudyHParams): TensorboardEvent[] {
  const infos = new Map<string, Record<string, unknown>>([
    ...EPOCH_TAGS.map(({ tag, description, dataset }): [string, Record<string, unknown>] => [
      tag,
      { name: { group: '', tag }, description: `${description} (the last epoch)`, ...(dataset ? { dataset_type: DATASET[dataset] } : {}) },
    ]),
    ...TEST_TAGS.map(({ tag, description }): [string, Record<string, unknown>] => [tag, { name: { group: '', tag }, description }]),
  ]);
  const metrics = TABLE_METRICS.map((tag) => infos.get(tag)!);
  const description = [plan.description, `sweepspec study \`${plan.name}\` (${plan.spec}): ${plan.runs.length} runs in ${plan.experiments.length} experiments`]
    .filter(Boolean)
    .join('\n\n');
  const experiment = { description, hparam_infos: hparams.hparams.map(hparamInfo), metric_infos: metrics };
  return [
    { wall_time: 0, file_version: 'brain.Event:2' },
    { wall_time: 0, step: 0, summary: { value: [hparamsValue(EXPERIMENT_TAG, { experiment })] } },
  ];
}

function hparamInfo(hparam: HParamDeclaration): Record<string, unknown> {
  const domain =
    hparam.domain.kind === 'interval'
      ? { domain_interval: { min_value: hparam.domain.min, max_value: hparam.domain.max } }
      : { domain_discrete: { values: hparam.domain.values.map(protoValue) } };
  return { name: hparam.name, description: hparam.description, type: DATA_TYPE[hparam.type], ...domain };
}

function protoValue(value: string | number | boolean): Record<string, unknown> {
  if (typeof value === 'number') return { number_value: value };
  if (typeof value === 'boolean') return { bool_value: value };
  return { string_value: value };
}
