import { describe, expect, it } from 'vitest';
import type { PlannedRun } from '../../../../compiler/types/plan.js';
import { encodeEventFile } from '../../../../runtime/export/tensorboard/encode-events.js';
import { decodeMessage, EventMessage, HParamsPluginDataMessage } from '../../../../runtime/export/tensorboard/protos.js';
import { runEvents, type RunEventsInput } from '../../../../runtime/export/tensorboard/run-events.js';
import { readRecords } from '../../../../runtime/export/tensorboard/tfrecord.js';
import type { EpochMetrics, RunRecord, TestEvaluation } from '../../../../runtime/results/records.js';
import { fakeConfig } from '../../runner/fixtures/plan.js';

const run: PlannedRun = { id: 'abcdef012345', name: 'lr=0.1', experiments: ['lr'], axes: { lr: { 'optimizer.lr': 0.1 } }, config: fakeConfig({ seed: 1, epochs: 3 }) };
const epoch = (n: number): EpochMetrics => ({
  epoch: n, train_loss: 2 / n, train_accuracy: 0.3 * n, val_loss: 2.5 / n, val_accuracy: 0.25 * n, lr: 0.1, lr_end: 0.1, seconds: 10 + n, images_per_second: 100 + n,
});
const record = (status: RunRecord['status'], extra: Partial<RunRecord> = {}): RunRecord => ({
  id: run.id, name: run.name, experiments: run.experiments, status, epochs_completed: 0, started_at: '2026-01-02T03:04:05.000Z', ...extra,
});
const evaluation: TestEvaluation = {
  epoch: 2, split: 'test', accuracy: 0.75, loss: 0.6, top3_accuracy: 1, mean_entropy: 0.4, confusion: [[3, 1], [0, 4]],
  report: { classes: ['a', 'b'], per_class: [], accuracy: 0.75, macro_avg: { precision: 0, recall: 0, f1: 0, support: 0 }, weighted_avg: { precision: 0, recall: 0, f1: 0, support: 0 } },
};
const input = (over: Partial<RunEventsInput>): RunEventsInput => ({
  run, record: record('running'), history: [], evaluation: null, confusion: null,
  hparams: { hparams: [], values: { [run.id]: { 'optimizer.lr': 0.1, arch: 'resnet18' } }, groups: {} }, ...over,
});

function decode(bytes: Uint8Array) {
  const { records, problem } = readRecords(bytes);
  expect(problem).toBeUndefined();
  return records.map((r) => decodeMessage(EventMessage, r) as { wall_time: number; step?: number; summary?: { value: { tag: string; tensor?: { float_val?: number[] }; metadata?: { plugin_data?: { content: number[] } } }[] } });
}

describe('runEvents', () => {
  it('writes the session start, one event per epoch at step = epoch, then test metrics and the session end', () => {
    const events = decode(encodeEventFile(runEvents(input({ record: record('completed', { finished_at: '2026-01-02T03:05:00.000Z' }), history: [epoch(1), epoch(2)], evaluation, confusion: { png: new Uint8Array([1, 2]), width: 1, height: 1, channels: 3 } }))));
    const start = Date.parse('2026-01-02T03:04:05.000Z') / 1000;
    expect(events.map((e) => [e.step ?? 0, e.wall_time, e.summary?.value.map((v) => v.tag).join(',') ?? 'file_version'])).toEqual([
      [0, start, 'file_version'],
      [0, start, '_hparams_/session_start_info'],
      [1, start + 11, 'train/loss,train/accuracy,validation/loss,validation/accuracy,learning_rate,images_per_second'],
      [2, start + 23, 'train/loss,train/accuracy,validation/loss,validation/accuracy,learning_rate,images_per_second'],
      [2, start + 55, 'test/accuracy,test/loss,test/top3_accuracy,test/mean_entropy,test/confusion_matrix'],
      [0, start + 55, '_hparams_/session_end_info'],
    ]);
    expect(events[3].summary!.value[3].tensor!.float_val![0]).toBeCloseTo(0.5, 6);
    // The scalars plugin's metadata rides on a tag's first point only, as TensorFlow's writers do.
    expect(events[2].summary!.value.every((v) => v.metadata)).toBe(true);
    expect(events[3].summary!.value.some((v) => v.metadata)).toBe(false);
    const startInfo = decodeMessage(HParamsPluginDataMessage, Uint8Array.from(events[1].summary!.value[0].metadata!.plugin_data!.content));
    expect(startInfo).toMatchObject({ session_start_info: { hparams: { 'optimizer.lr': { number_value: 0.1 }, arch: { string_value: 'resnet18' } }, model_uri: `runs/${run.id}`, start_time_secs: start } });
    const endInfo = decodeMessage(HParamsPluginDataMessage, Uint8Array.from(events[5].summary!.value[0].metadata!.plugin_data!.content));
    expect(endInfo).toMatchObject({ session_end_info: { status: 'STATUS_SUCCESS', end_time_secs: start + 55 } });
  });

  it('is deterministic, and a running run\'s file only grows by appending as epochs end', () => {
    const at = (history: EpochMetrics[], status: RunRecord['status'] = 'running') =>
      Buffer.from(encodeEventFile(runEvents(input({ record: record(status), history }))));
    expect(at([epoch(1)]).equals(at([epoch(1)]))).toBe(true);
    for (const [shorter, longer] of [
      [at([]), at([epoch(1)])],
      [at([epoch(1)]), at([epoch(1), epoch(2)])],
      [at([epoch(1), epoch(2)]), at([epoch(1), epoch(2)], 'failed')],
      // An interrupt adds nothing, so the resumed run appends to the same file.
      [at([epoch(1)], 'interrupted'), at([epoch(1), epoch(2)])],
    ]) {
      expect(longer.subarray(0, shorter.length).equals(shorter)).toBe(true);
    }
  });

  it('ends the session of a failed run with failure, leaves running, interrupted and stopped ones open, and writes no test metrics for them', () => {
    const statusOf = (status: RunRecord['status'] | 'stopped') => {
      const events = decode(encodeEventFile(runEvents(input({ record: record(status as RunRecord['status']), history: [epoch(1)], evaluation }))));
      expect(events.flatMap((e) => e.summary?.value.map((v) => v.tag) ?? []).filter((t) => t.startsWith('test/'))).toEqual([]);
      const end = events.at(-1)!.summary!.value[0];
      if (end.tag !== '_hparams_/session_end_info') return 'none';
      return (decodeMessage(HParamsPluginDataMessage, Uint8Array.from(end.metadata!.plugin_data!.content)) as { session_end_info: { status?: string } }).session_end_info.status ?? 'STATUS_UNKNOWN';
    };
    expect(statusOf('running')).toBe('none');
    expect(statusOf('failed')).toBe('STATUS_FAILURE');
    // TensorBoard keeps a session's first status while it runs: only final ones are written.
    expect(statusOf('interrupted')).toBe('none');
    expect(statusOf('stopped')).toBe('none');
  });

  it('refuses a run that has not started', () => {
    expect(() => runEvents(input({ record: record('pending', { started_at: undefined }) }))).toThrow(/no start time/);
  });
});
