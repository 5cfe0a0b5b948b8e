import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../../runtime/results/records.js';
import { decideRun } from '../../../runtime/runner/select-runs.js';

const sweepStart = new Date('2026-01-02T00:00:00Z');
const record = (status: RunRecord['status'], at: string): RunRecord => ({
  id: 'a', name: 'a', experiments: [], status, epochs_completed: 1, started_at: at, ...(status === 'completed' || status === 'failed' || status === 'stopped' ? { finished_at: at } : {}),
});
const before = '2026-01-01T00:00:00Z';
const after = '2026-01-03T00:00:00Z';

describe('decideRun', () => {
  it.each([
    ['no record', null, undefined, { action: 'run', fresh: false }],
    ['interrupted resumes', record('interrupted', before), undefined, { action: 'run', fresh: false }],
    ['completed is kept', record('completed', before), undefined, { action: 'skip', reason: 'completed' }],
    ['failed is kept', record('failed', before), undefined, { action: 'skip', reason: 'failed' }],
    ['--rerun failed retries a failed run', record('failed', before), 'failed', { action: 'run', fresh: true }],
    ['--rerun failed keeps a completed run', record('completed', before), 'failed', { action: 'skip', reason: 'completed' }],
    ['--rerun all retrains a completed run', record('completed', before), 'all', { action: 'run', fresh: true }],
    ['--rerun all restarts an interrupted run', record('interrupted', before), 'all', { action: 'run', fresh: true }],
    ['--rerun all keeps what this sweep finished', record('completed', after), 'all', { action: 'skip', reason: 'completed' }],
    ['--rerun failed keeps what failed during this sweep', record('failed', after), 'failed', { action: 'skip', reason: 'failed' }],
  ] as const)('%s', (_, stored, rerun, expected) => {
    expect(decideRun(stored, rerun, sweepStart, true)).toEqual(expected);
  });

  it.each([
    ['stopped is kept while the run terminates early', record('stopped', before), undefined, true, { action: 'skip', reason: 'stopped' }],
    ['--rerun stopped continues it from its checkpoint', record('stopped', before), 'stopped', true, { action: 'run', fresh: false }],
    ['--rerun stopped keeps what this sweep stopped', record('stopped', after), 'stopped', true, { action: 'skip', reason: 'stopped' }],
    ['--rerun failed keeps a stopped run', record('stopped', before), 'failed', true, { action: 'skip', reason: 'stopped' }],
    ['--rerun all retrains a stopped run', record('stopped', before), 'all', true, { action: 'run', fresh: true }],
    ['a stopped run no experiment terminates early any more continues', record('stopped', before), undefined, false, { action: 'run', fresh: false }],
    ['--rerun stopped keeps a failed run', record('failed', before), 'stopped', true, { action: 'skip', reason: 'failed' }],
    ['--rerun stopped keeps a completed run', record('completed', before), 'stopped', true, { action: 'skip', reason: 'completed' }],
  ] as const)('%s', (_, stored, rerun, terminatesEarly, expected) => {
    expect(decideRun(stored, rerun, sweepStart, terminatesEarly)).toEqual(expected);
  });
});
