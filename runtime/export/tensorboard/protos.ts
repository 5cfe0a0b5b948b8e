import { readFileSync } from 'node:fs';
import protobuf from 'protobufjs';

/**
 * TensorBoard's messages, parsed once from the .proto files beside this
 * module (subsets of TensorBoard's own, see their headers). protobufjs does
 * the wire encoding; `keepCase` keeps the snake_case field names of the
 * .proto files, so objects read like TensorBoard's Python.
 */
const root = new protobuf.Root();
for (const file of ['struct.proto', 'events.proto', 'hparams.proto']) {
  protobuf.parse(readFileSync(new URL(`./${file}`, import.meta.url), 'utf8'), root, { keepCase: true });
}
root.resolveAll();

export const EventMessage = root.lookupType('tensorboard.Event');
export const SummaryMetadataMessage = root.lookupType('tensorboard.SummaryMetadata');
export const HParamsPluginDataMessage = root.lookupType('tensorboard.hparams.HParamsPluginData');

/** Encodes a plain object as `type` (enums by name or number); ill-typed fields are a bug here, so they throw. */
export function encodeMessage(type: protobuf.Type, value: Record<string, unknown>): Uint8Array {
  const message = type.fromObject(value);
  const problem = type.verify(message);
  if (problem) throw new Error(`${type.fullName}: ${problem}`);
  return type.encode(message).finish();
}

export function decodeMessage(type: protobuf.Type, bytes: Uint8Array): Record<string, unknown> {
  return type.toObject(type.decode(bytes), { longs: Number, enums: String, bytes: Array, defaults: false, oneofs: true });
}
