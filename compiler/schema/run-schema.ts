import {
  AUGMENT_OBJECT_SCHEMA,
  DATA_SCHEMA,
  EARLY_STOPPING_OBJECT_SCHEMA,
  LOSS_SCHEMA,
  MODEL_SCHEMA,
  OPTIMIZER_SCHEMA,
  SCHEDULE_SCHEMA,
} from './config-schema.js';
import type { JsonSchema } from './json-schema.js';

export const RUN_SCHEMA_ID = 'https://sweepspec.dev/schemas/run-config-v1.json';

type Props = Record<string, JsonSchema>;
const props = (schema: JsonSchema): Props => schema.properties as Props;

/** The object schema with only the named properties, all required. */
function exactly(schema: JsonSchema, keys: readonly string[], overrides: Props = {}): JsonSchema {
  const properties = Object.fromEntries(keys.map((key) => [key, overrides[key] ?? props(schema)[key]]));
  return { type: 'object', properties, required: [...keys], additionalProperties: false };
}

const typed = (type: string) => ({ type: 'string', const: type });

const OPTIMIZER = {
  type: 'object',
  discriminator: { propertyName: 'type' },
  properties: { type: props(OPTIMIZER_SCHEMA).type },
  required: ['type'],
  oneOf: [
    exactly(OPTIMIZER_SCHEMA, ['type', 'lr', 'momentum', 'nesterov', 'weight_decay'], { type: typed('sgd') }),
    exactly(OPTIMIZER_SCHEMA, ['type', 'lr', 'betas', 'eps', 'weight_decay'], { type: typed('adam') }),
    exactly(OPTIMIZER_SCHEMA, ['type', 'lr', 'betas', 'eps', 'weight_decay'], { type: typed('adamw') }),
  ],
};

const SCHEDULE = {
  type: 'object',
  discriminator: { propertyName: 'type' },
  properties: { type: props(SCHEDULE_SCHEMA).type },
  required: ['type'],
  oneOf: [
    exactly(SCHEDULE_SCHEMA, ['type'], { type: typed('constant') }),
    exactly(SCHEDULE_SCHEMA, ['type', 'step_size', 'gamma'], { type: typed('step') }),
    exactly(SCHEDULE_SCHEMA, ['type', 'start_lr', 'end_lr', 'cycle'], { type: typed('cosine') }),
  ],
};

const VALIDATION = props(DATA_SCHEMA).validation;
const DATA = exactly(DATA_SCHEMA, ['root', 'train', 'test', 'validation', 'image_size', 'batch_size', 'eval_batch_size', 'on_bad_image'], {
  validation: { anyOf: [exactly(VALIDATION, ['fraction', 'stratify']), exactly(VALIDATION, ['dir'])] },
});

const CROP = (props(AUGMENT_OBJECT_SCHEMA).random_resized_crop.anyOf as JsonSchema[])[1];
const AUGMENT = {
  anyOf: [
    { type: 'boolean', const: false },
    exactly(AUGMENT_OBJECT_SCHEMA, ['random_resized_crop', 'horizontal_flip', 'rotation'], {
      random_resized_crop: { anyOf: [{ type: 'boolean', const: false }, exactly(CROP, ['scale', 'ratio'])] },
    }),
  ],
};

/** A fully resolved RunConfig (compiler/types/run-config.ts): every key present, per-type parameters only. */
export const RUN_SCHEMA: JsonSchema = {
  $id: RUN_SCHEMA_ID,
  type: 'object',
  properties: {
    data: DATA,
    model: exactly(MODEL_SCHEMA, ['arch', 'pretrained', 'trainable_layers', 'dropout']),
    augment: AUGMENT,
    optimizer: OPTIMIZER,
    schedule: SCHEDULE,
    loss: exactly(LOSS_SCHEMA, ['class_weights', 'label_smoothing']),
    epochs: { type: 'integer', minimum: 1 },
    select: { type: 'string', enum: ['val_accuracy', 'val_loss', 'last'] },
    early_stopping: { anyOf: [{ type: 'boolean', const: false }, exactly(EARLY_STOPPING_OBJECT_SCHEMA, ['monitor', 'patience'])] },
    seed: { type: 'integer', minimum: 0, maximum: 4294967295 },
  },
  required: ['data', 'model', 'augment', 'optimizer', 'schedule', 'loss', 'epochs', 'select', 'early_stopping', 'seed'],
  additionalProperties: false,
};
