import { EventMessage, encodeMessage } from './protos.js';
import type { TensorboardEvent } from './run-events.js';
import { frameRecord } from './tfrecord.js';

/** An event file's bytes: each Event encoded and framed as a TFRecord. */
export function encodeEventFile(events: readonly TensorboardEvent[]): Uint8Array {
  const records = events.map((event) => frameRecord(encodeMessage(EventMessage, event as unknown as Record<string, unknown>)));
  const out = new Uint8Array(records.reduce((sum, r) => sum + r.length, 0));
  let offset = 0;
  for (const record of records) {
    out.set(record, offset);
    offset += record.length;
  }
  return out;
}
