import { encodeMessage, HParamsPluginDataMessage } from './protos.js';

/**
 * Summary.Value objects (protobufjs plain form, snake_case) in the shapes
 * TensorBoard's own writers produce, so its plugins read them unchanged.
 */
export type SummaryValue = Record<string, unknown>;

/** DataType enum of tensorboard/compat/proto/types.proto. */
const DT_FLOAT = 1;
/** SummaryMetadata.DataClass. */
const DATA_CLASS_SCALAR = 1;

export interface ScalarOptions {
  /** Shown under the chart; sent only with the first point of a tag (TensorBoard keeps the first metadata). */
  readonly description?: string;
  readonly withMetadata: boolean;
}

/**
 * A scalar as `tf.summary.scalar` writes it in TensorFlow 2: a rank-0 float32
 * tensor with the scalars plugin's metadata. Float32, as TensorFlow casts
 * it: TensorBoard's fast data server reads no other scalar type (a float64
 * tensor shows with --load_fast=false only), so values are metrics.jsonl's
 * rounded to float32 (about 7 significant digits).
 */
export function scalarValue(tag: string, value: number, options: ScalarOptions): SummaryValue {
  return {
    tag,
    ...(options.withMetadata
      ? {
          metadata: {
            plugin_data: { plugin_name: 'scalars', content: new Uint8Array(0) },
            ...(options.description ? { summary_description: options.description } : {}),
            data_class: DATA_CLASS_SCALAR,
          },
        }
      : {}),
    tensor: { dtype: DT_FLOAT, tensor_shape: {}, float_val: [value] },
  };
}

/** An encoded image (PNG) as the classic image summary; TensorBoard's image plugin converts it on load. */
export function imageValue(tag: string, image: { png: Uint8Array; width: number; height: number; channels: 3 | 4 }): SummaryValue {
  return {
    tag,
    image: { height: image.height, width: image.width, colorspace: image.channels, encoded_image_string: image.png },
  };
}

/** hparams plugin tags (tensorboard/plugins/hparams/metadata.py). */
export const EXPERIMENT_TAG = '_hparams_/experiment';
export const SESSION_START_INFO_TAG = '_hparams_/session_start_info';
export const SESSION_END_INFO_TAG = '_hparams_/session_end_info';
const PLUGIN_DATA_VERSION = 0;

/**
 * hparams data as `tensorboard.plugins.hparams.summary` writes it: the
 * HParamsPluginData message serialised into the summary metadata's plugin
 * content, over metadata.NULL_TENSOR (an empty float vector).
 */
export function hparamsValue(tag: string, data: Record<string, unknown>): SummaryValue {
  const content = encodeMessage(HParamsPluginDataMessage, { version: PLUGIN_DATA_VERSION, ...data });
  return {
    tag,
    metadata: { plugin_data: { plugin_name: 'hparams', content } },
    tensor: { dtype: DT_FLOAT, tensor_shape: { dim: [{ size: 0 }] } },
  };
}
