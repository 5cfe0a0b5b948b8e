import { CONFIG_PATCH_SCHEMA } from './config-schema.js';
import { configPaths } from './dotted-paths.js';
import { integer, object, type JsonSchema } from './json-schema.js';

export const SPEC_SCHEMA_ID = 'https://sweepspec.dev/schemas/spec-v1.json';
export const SLUG_PATTERN = '^[a-z0-9][a-z0-9_-]*$';

const CONFIG_REF = '#/$defs/config';

/** A reference into the config schema that carries the target's description (editors show it on hover). */
function configRef(pointer: string): JsonSchema {
  const target = pointer
    .split('/')
    .slice(1)
    .reduce<JsonSchema>((node, key) => (node as Record<string, JsonSchema>)[key], CONFIG_PATCH_SCHEMA);
  return { $ref: `${CONFIG_REF}${pointer}`, description: target.description };
}

/** Every settable path as a bundle key: top-level keys, and dotted keys (`model.arch`) so editors complete them too. */
function bundleProperties(): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  for (const { path, pointer } of configPaths(CONFIG_PATCH_SCHEMA)) out[path.join('.')] = configRef(pointer);
  return out;
}

const BUNDLE = object('Settings to apply; keys may be nested objects or dotted paths (model.arch), both mean the same.', bundleProperties());

const NAME = { description: 'A name: lowercase letters, digits, - and _, starting with a letter or digit.', type: 'string', pattern: SLUG_PATTERN };

const EXPERIMENT = object('One comparison in the report: runs that differ along the matrix axes.', {
  title: { description: 'Heading of the comparison in the report (default: the experiment name).', type: 'string' },
  description: { description: 'Free text shown under the title.', type: 'string' },
  defaults: { $ref: '#/$defs/bundle', description: 'Overrides applied to every run of this experiment.' },
  matrix: {
    description:
      'Axes, combined as a cartesian product in written order. A value axis maps a config path to a list of values (or a ' +
      'distribution for random search); a variant axis maps a label to a list of {name, set} bundles.',
    type: 'object',
    additionalProperties: { description: 'An axis: a list of values or variants, a distribution, or nested axes.', type: ['array', 'object'] },
  },
  include: {
    description: 'Extra runs: named bundles applied on top of the experiment defaults.',
    type: 'array',
    items: { $ref: '#/$defs/include' },
  },
  exclude: {
    description: 'Drop every combination that matches all the axis values of an entry (axis label -> value or variant name).',
    type: 'array',
    items: { description: 'Axis label -> value (value axis) or variant name (variant axis).', type: 'object', minProperties: 1 },
  },
  repeats: integer('Run each configuration this many times with seeds seed, seed+1, ... (default 1).', { minimum: 1 }),
  search: object('How the matrix is explored.', {
    method: {
      description: 'grid (default): every combination; random: samples drawn from the axes; tpe: startup random draws, then runs proposed by a tree-structured Parzen estimator from the results so far.',
      type: 'string',
      enum: ['grid', 'random', 'tpe'],
    },
    samples: integer('random, tpe: how many runs in all (required).', { minimum: 1 }),
    seed: integer('random, tpe: seed of the draws and proposals (default 0).', { minimum: 0, maximum: 4294967295 }),
    startup: integer('tpe: how many of the samples are seeded random draws before the model proposes (default 10, at most samples).', { minimum: 1 }),
    candidates: integer('tpe: candidates drawn from l(x) per proposal, the one maximising l(x)/g(x) is taken (default 24).', { minimum: 1, maximum: 10000 }),
  }),
  early_termination: object(
    'Stop weak runs early by asynchronous successive halving (ASHA): at each rung epoch min_epochs * reduction_factor^k a run ' +
      'continues only if its metric is in the top 1/reduction_factor of the runs of this experiment recorded at that rung. Does not change run ids.',
    {
      type: { description: 'The rule: asha (asynchronous successive halving).', type: 'string', enum: ['asha'] },
      metric: {
        description: 'Ranked metric at each rung: val_accuracy (default; higher is better) or val_loss (lower is better).',
        type: 'string',
        enum: ['val_accuracy', 'val_loss'],
      },
      min_epochs: integer('First rung: epochs every run trains before it can be stopped (default 1).', { minimum: 1 }),
      reduction_factor: integer('Each rung is this many times the previous one, and keeps the top 1/reduction_factor (default 3).', { minimum: 2 }),
    },
    { required: ['type'] },
  ),
});

const INCLUDE = object(
  'An extra run.',
  {
    name: { description: 'Run name shown in the plan and report.', type: 'string', minLength: 1 },
    set: { $ref: '#/$defs/bundle', description: 'Overrides for this run.' },
  },
  { required: ['name', 'set'] },
);

const VARIANT = object(
  'One named bundle of a variant axis.',
  {
    name: { description: 'Variant name; it is the run name along this axis.', type: 'string', minLength: 1 },
    set: { $ref: '#/$defs/bundle', description: 'Overrides of this variant (none: the experiment defaults as they are).' },
  },
  { required: ['name'] },
);

const bounds = (description: string) => ({ description, type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 2 });
const DISTRIBUTION = object(
  'A distribution to draw from (search method random or tpe).',
  {
    uniform: bounds('[low, high]: uniform in the interval.'),
    loguniform: bounds('[low, high], low > 0: uniform in log space.'),
    int: { description: '[low, high]: an integer from low to high inclusive, each equally likely.', type: 'array', items: { type: 'integer' }, minItems: 2, maxItems: 2 },
    choice: { description: 'One of the listed values, each equally likely.', type: 'array', minItems: 1 },
  },
  { minProperties: 1, maxProperties: 1 },
);

/** The spec file as written. Published as compiler/spec.schema.json for editors. */
export const SPEC_SCHEMA: JsonSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: SPEC_SCHEMA_ID,
  title: 'sweepspec experiment study',
  ...object(
    'An experiment study: data, defaults shared by every run, and experiments that each expand to runs.',
    {
      version: { description: 'Spec language version; must be 1.', const: 1 },
      name: { ...NAME, description: 'Study name (slug): lowercase letters, digits, - and _. Required in the top file.' },
      description: { description: 'Free text shown at the top of the report.', type: 'string' },
      extends: { description: 'A base spec, relative to this file; deep-merged under this one (this file wins).', type: 'string', minLength: 1 },
      data: configRef('/properties/data'),
      defaults: { $ref: '#/$defs/bundle', description: 'Settings every run starts from (after the built-in defaults).' },
      experiments: {
        description: 'Named experiments, each one comparison in the report.',
        type: 'object',
        propertyNames: { pattern: SLUG_PATTERN },
        additionalProperties: { $ref: '#/$defs/experiment', description: 'An experiment, keyed by its name.' },
      },
    },
    { required: ['version'] },
  ),
  $defs: { config: CONFIG_PATCH_SCHEMA, bundle: BUNDLE, experiment: EXPERIMENT, include: INCLUDE, variant: VARIANT, distribution: DISTRIBUTION },
};
