import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../../runtime/results/records.js';
import { buildTaskList, unsubmittable } from '../../../runtime/launch/task-list.js';
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
    expect(list.skipped.map((s) => [s.run.id, s.reason])).toEqual([[a.id, 'completed'], [d.id, 'failed']]);
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

describe('unsubmittable', () => {
  it('refuses a plan with a tpe search and names the experiment', () => {
    expect(unsubmittable(plan)).toBeNull();
    const search = { method: 'tpe' } as NonNullable<(typeof plan.experiments)[number]['search']>;
    const withSearch = { ...plan, experiments: [{ ...plan.experiments[0], name: 'lr-search', search }] };
    expect(unsubmittable(withSearch)).toMatch(/^experiment lr-search uses a tpe search, whose runs are proposed during the sweep/);
  });
});
