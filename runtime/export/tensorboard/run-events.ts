import type { PlannedRun } from '../../../compiler/types/plan.js';
import type { EpochMetrics, RunRecord, TestEvaluation } from '../../results/records.js';
import type { EncodedImage } from './confusion-image.js';
import type { StudyHParams } from './study-hparams.js';
import { hparamsValue, imageValue, scalarValue, SESSION_END_INFO_TAG, SESSION_START_INFO_TAG, type SummaryValue } from './summaries.js';
import { CONFUSION_TAG, EPOCH_TAGS, TEST_TAGS } from './tags.js';

/** An Event (protobufjs plain form) before encoding. */
export interface TensorboardEvent {
  readonly wall_time: number;
  readonly step?: number;
  readonly file_version?: string;
  readonly summary?: { readonly value: readonly SummaryValue[] };
}

export interface RunEventsInput {
  readonly run: PlannedRun;
  readonly record: RunRecord;
  /** metrics.jsonl: the completed epochs. */
  readonly history: readonly EpochMetrics[];
  readonly evaluation: TestEvaluation | null;
  readonly confusion: EncodedImage | null;
  readonly hparams: StudyHParams;
}

/**
 * hparams plugin Status (api.proto) of the final run statuses. A TensorBoard
 * that is running keeps the first session status it reads (the summary
 * metadata of a tag's first point) until it restarts, so a status is written
 * only once it is final: running, interrupted and stopped runs (a stopped run
 * may be continued with --rerun stopped) get none, which TensorBoard shows as
 * "Unknown", and turn to Success or Failure as they end, also in a
 * TensorBoard left open.
 */
const SESSION_STATUS: Readonly<Record<string, string>> = { completed: 'STATUS_SUCCESS', failed: 'STATUS_FAILURE' };

/**
 * Every event of a run's event file, from what the results store holds. A
 * pure function of its input, and so are the times: wall times are the run's
 * start plus the training seconds of the epochs so far (not the clock at
 * writing), so writing again from the same store gives the same bytes, and a
 * file written live only ever grows by appending until something already
 * written changes (a resume, a rerun).
 */
export function runEvents(input: RunEventsInput): TensorboardEvent[] {
  const { run, record, history, evaluation } = input;
  const start = Date.parse(record.started_at ?? '') / 1000;
  if (!Number.isFinite(start)) throw new Error(`run ${run.id} has no start time in record.json; it has not started`);
  const events: TensorboardEvent[] = [
    { wall_time: start, file_version: 'brain.Event:2' },
    { wall_time: start, step: 0, summary: { value: [sessionStart(input, start)] } },
  ];
  let clock = start;
  for (const [index, metrics] of history.entries()) {
    clock += metrics.seconds;
    const value = EPOCH_TAGS.map(({ tag, field, description }) => scalarValue(tag, metrics[field], { description, withMetadata: index === 0 }));
    events.push({ wall_time: clock, step: metrics.epoch, summary: { value } });
  }
  const end = record.finished_at ? Date.parse(record.finished_at) / 1000 : clock;
  if (evaluation && record.status === 'completed') {
    const split = evaluation.split === 'test' ? 'the test split' : 'the validation split (the dataset has no test split)';
    // Only the numbers evaluation.json holds (one written by an older sweepspec may lack some).
    const value = TEST_TAGS.filter(({ field }) => Number.isFinite(evaluation[field])).map(({ tag, field, description }) =>
      scalarValue(tag, evaluation[field] as number, { description: `${description} (epoch ${evaluation.epoch}) on ${split}`, withMetadata: true }),
    );
    if (input.confusion) value.push(imageValue(CONFUSION_TAG, input.confusion));
    if (value.length > 0) events.push({ wall_time: end, step: evaluation.epoch, summary: { value } });
  }
  const status = SESSION_STATUS[record.status];
  if (status) {
    events.push({ wall_time: end, step: 0, summary: { value: [hparamsValue(SESSION_END_INFO_TAG, { session_end_info: { status, end_time_secs: end } })] } });
  }
  return events;
}

function sessionStart(input: RunEventsInput, start: number): SummaryValue {
  const values = input.hparams.values[input.run.id] ?? {};
  const hparams = Object.fromEntries(
    Object.entries(values).map(([name, value]) => [
      name,
      typeof value === 'number' ? { number_value: value } : typeof value === 'boolean' ? { bool_value: value } : { string_value: value },
    ]),
  );
  const group = input.hparams.groups[input.run.id];
  return hparamsValue(SESSION_START_INFO_TAG, {
    session_start_info: { hparams, model_uri: `runs/${input.run.id}`, start_time_secs: start, ...(group ? { group_name: group } : {}) },
  });
}
