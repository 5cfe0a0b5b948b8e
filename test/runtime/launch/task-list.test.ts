import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../../runtime/results/records.js';
import { buildTaskList } from '../../../runtime/launch/task-list.js';
import { fakeConfig, fakePlan } from '../runner/fixtures/plan.js';

const plan = fakePlan('study', [fakeConfig({ seed: 1 }), fakeConfig({ seed: 2 }), fakeConfig({ seed: 3 }), fakeConfig({ seed: 4 })]);
const [a, b, c, d] = plan.runs;
const now = new Date('2026-12-02T12:00:00Z');
const record = (id: string, status: RunRecord['status'], finished = '2026-12-01T00:00:00Z'): RunRecord => ({
  id, name: id, experiments: [], status, epochs_completed: 1, started_at: '2026-12-01T00:00:00Z', ...(status === 'completed' || status === 'failed' ? { finished_at: finished } : {}),
});

describe('buildTaskList', () => {
  it('gives each run that still needs training a task, numbered from 0 in plan order', () => {
    const records = new Map([[a.id, record(a.id, 'completed')], [c.id, record(c.id, 'interrupted')], [d.id, record(d.id, 'failed')]]);
    const list = buildTaskList({ plan, records, active: new Set(), now });
    expect(list.tasks).toEqual([
      { index: 0, run_id: b.id, name: b.name },
      { index: 1, run_id: c.id, name: c.name },
    ]);
    expect(list.skipped.map((s) => [s.run?.id, s.reason])).toEqual([[a.id, 'completed'], [d.id, 'failed']]);
  });

  it('never gives a task to a run that a queued or running task already holds', () => {
    const list = buildTaskList({ plan, records: new Map(), active: new Set([b.id, d.id]), now });
    expect(list.tasks.map((t) => t.run_id)).toEqual([a.id, c.id]);
    expect(list.skipped.map((s) => s.reason)).toEqual(['submitted', 'submitted']);
  });

  it('--rerun failed takes failed runs again, --rerun all completed ones too; --only narrows', () => {
    const records = new Map([[a.id, record(a.id, 'completed')], [d.id, record(d.id, 'failed')]]);
    expect(buildTaskList({ plan, records, active: new Set(), rerun: 'failed', now }).tasks.map((t) => t.run_id)).toEqual([b.id, c.id, d.id]);
    expect(buildTaskList({ plan, records, active: new Set(), rerun: 'all', now }).tasks.map((t) => t.run_id)).toEqual([a.id, b.id, c.id, d.id]);
    expect(buildTaskList({ plan, records, active: new Set(), only: `${c.id.slice(0, 6)}*`, now }).tasks).toEqual([{ index: 0, run_id: c.id, name: c.name }]);
  });
});

describe('buildTaskList with a model-based search', () => {
  // Runs a and b are the search's startup draws; slots 3-5 are proposed when their tasks start.
  const search = { method: 'tpe', samples: 5, startup: 2 } as NonNullable<(typeof plan.experiments)[number]['search']>;
  const tpePlan = { ...plan, runs: [a, b], experiments: [{ ...plan.experiments[0], name: 'lr-search', runs: [a.id, b.id], search }] };

  it('gives every proposal slot a task after the planned runs, named by its label', () => {
    const list = buildTaskList({ plan: tpePlan, records: new Map(), active: new Set(), now });
    expect(list.tasks).toEqual([
      { index: 0, run_id: a.id, name: a.name },
      { index: 1, run_id: b.id, name: b.name },
      { index: 2, run_id: 'lr-search#3', name: 'lr-search#3', slot: true },
      { index: 3, run_id: 'lr-search#4', name: 'lr-search#4', slot: true },
      { index: 4, run_id: 'lr-search#5', name: 'lr-search#5', slot: true },
    ]);
  });

  it('judges a filled slot by the record of the run it proposed, and skips slots a queued task holds', () => {
    const proposals = new Map([['lr-search#3', 'aaaaaaaaaaaa'], ['lr-search#4', 'bbbbbbbbbbbb']]);
    const records = new Map([['aaaaaaaaaaaa', record('aaaaaaaaaaaa', 'completed')], ['bbbbbbbbbbbb', record('bbbbbbbbbbbb', 'interrupted')]]);
    const list = buildTaskList({ plan: tpePlan, records, proposals, active: new Set([a.id, 'lr-search#5']), now });
    expect(list.tasks.map((t) => t.run_id)).toEqual([b.id, 'lr-search#4']);
    expect(list.skipped).toEqual([
      { run: a, reason: 'submitted' },
      { slot: 'lr-search#3', reason: 'completed' },
      { slot: 'lr-search#5', reason: 'submitted' },
    ]);
    // --only matches labels too.
    expect(buildTaskList({ plan: tpePlan, records, proposals, active: new Set(), only: 'lr-search#*', now }).tasks.map((t) => t.run_id)).toEqual(['lr-search#4', 'lr-search#5']);
  });
});
