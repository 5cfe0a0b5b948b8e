import { describe, expect, it } from 'vitest';
import { plainProgress } from '../../../runtime/runner/plain-progress.js';
import { formatDuration, ttyProgress } from '../../../runtime/runner/tty-progress.js';
import type { SweepEvent } from '../../../runtime/runner/sweep-events.js';
import { fakeConfig, fakePlan } from './fixtures/plan.js';

const plan = fakePlan('study', [fakeConfig({ seed: 1, epochs: 2 }), fakeConfig({ seed: 2 })]);
const [run, other] = plan.runs;
const events: SweepEvent[] = [
  { type: 'sweep-start', total: 2, selected: 2 },
  { type: 'run-skip', run: other, reason: 'completed' },
  { type: 'run-start', run, fresh: false },
  { type: 'run-event', run, event: { type: 'epoch-begin', epoch: 1, epochs: 2, lr: 0.1 } },
  { type: 'run-event', run, event: { type: 'batch', epoch: 1, batch: 3, batches: 4, loss: 0.6931, accuracy: 0.5, imagesPerSecond: 123.4 } },
];

describe('progress', () => {
  it('draws a live block with runs done, the epoch, a batch bar, loss, accuracy and images/s', () => {
    let out = '';
    const live = ttyProgress((text) => (out += text), () => 200);
    for (const event of events) live.onEvent(event);
    live.close(); // batch redraws are throttled to 10 a second; close draws the latest state
    const lastBlock = out.split('\x1b[').at(-1)!;
    expect(lastBlock).toContain('sweep 1/2 runs done');
    expect(lastBlock).toContain(`${run.name} epoch 1/2 ${'█'.repeat(18)}${'░'.repeat(6)} 3/4 loss 0.6931 acc 0.500 123.4 img/s`);
    live.onEvent({ type: 'run-end', run, status: 'failed', failure: { code: 'NON_FINITE_LOSS', message: 'NaN' }, seconds: 75 });
    expect(out).toContain(`✗ ${run.name} failed: NON_FINITE_LOSS: NaN (1m15s)`);
  });

  it('prints timestamped lines without batches, and only failures when quiet', () => {
    const lines: string[] = [];
    const plain = plainProgress((text) => lines.push(text));
    for (const event of events) plain(event);
    expect(lines.map((l) => l.replace(/^\S+ /, ''))).toEqual([
      'sweep: 2 of 2 runs selected\n',
      `${other.name} [${other.id}]: skipped, completed\n`,
      `${run.name} [${run.id}]: started\n`,
    ]);
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z /);
    const quiet: string[] = [];
    const q = plainProgress((text) => quiet.push(text), { quiet: true });
    for (const event of events) q(event);
    q({ type: 'run-end', run, status: 'failed', failure: { code: 'X', message: 'y' }, seconds: 1 });
    expect(quiet).toHaveLength(1);
    expect(formatDuration(3725)).toBe('1h02m');
  });
});

describe('progress on narrow or unknown terminals', () => {
  it('cuts lines to the width, and treats a width of 0 as unknown', () => {
    for (const [width, expected] of [[30, 'sweep 0/2 runs done\n'], [0, 'sweep 0/2 runs done\n']] as const) {
      let out = '';
      const live = ttyProgress((text) => (out += text), () => width);
      live.onEvent({ type: 'sweep-start', total: 2, selected: 2 });
      live.onEvent({ type: 'run-start', run, fresh: false });
      expect(out).toContain(expected);
      expect(out.split('\n').every((line) => line.replace(/\x1b\[\d*[FJ]/g, '').length <= Math.max(width || 100, 20) - 1)).toBe(true);
    }
  });
});
