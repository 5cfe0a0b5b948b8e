import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileFile } from '../../../bin/load-plan.js';
import type { RunPlan } from '../../../compiler/types/plan.js';
import { selectRuns } from '../../../runtime/runner/select-runs.js';
import { planSlots, selectSlots } from '../../../runtime/search/run-slot.js';

let dir: string;
let plan: RunPlan;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tpe-slots-'));
  const spec = join(dir, 'spec.yaml');
  await writeFile(
    spec,
    `version: 1
name: slots
data: { root: ${join(import.meta.dirname, '..', '..', '..', 'data', 'fmnist-mini')} }
experiments:
  grid:
    matrix: { optimizer.lr: [0.1, 0.01] }
  tuned:
    search: { method: tpe, samples: 5, startup: 2 }
    matrix: { model.dropout: { uniform: [0, 0.5] } }
`,
  );
  plan = compileFile(spec, { dataCheck: 'off' }).plan!;
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('proposal slots in a runner\'s selection', () => {
  it('follow the planned runs, labelled <experiment>#<run number in the search>', () => {
    expect(plan.runs).toHaveLength(4);
    expect(planSlots(plan).map((s) => [s.label, s.slot])).toEqual([['tuned#3', 2], ['tuned#4', 3], ['tuned#5', 4]]);
  });

  it('--shard continues the plan positions, so shards partition runs and slots together', () => {
    const positions = (index: number) => [
      ...selectRuns(plan.runs, { shard: { index, count: 3 } }).map((r) => r.id),
      ...selectSlots(plan, { shard: { index, count: 3 } }).map((s) => s.label),
    ];
    // positions 0..3 are runs, 4..6 the slots: shard 1 takes 0, 3, 6; shard 2 takes 1, 4; shard 3 takes 2, 5.
    expect(positions(1)).toEqual([plan.runs[0].id, plan.runs[3].id, 'tuned#5']);
    expect(positions(2)).toEqual([plan.runs[1].id, 'tuned#3']);
    expect(positions(3)).toEqual([plan.runs[2].id, 'tuned#4']);
  });

  it('--only matches slots by label, and run globs leave them out', () => {
    expect(selectSlots(plan, { only: 'tuned#*' }).map((s) => s.label)).toEqual(['tuned#3', 'tuned#4', 'tuned#5']);
    expect(selectSlots(plan, { only: 'tuned#4' }).map((s) => s.slot)).toEqual([3]);
    expect(selectSlots(plan, { only: 'lr=*' })).toEqual([]);
  });
});
