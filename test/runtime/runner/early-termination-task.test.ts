import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EarlyTermination, RunPlan } from '../../../compiler/types/plan.js';
import type { EpochMetrics } from '../../../runtime/results/records.js';
import { runPaths, specPaths } from '../../../runtime/results/run-paths.js';
import { commonRungs, createRungGate, decideAfterEpoch, earlyTerminationTask } from '../../../runtime/runner/early-termination.js';
import { fakeConfig, fakePlan } from './fixtures/plan.js';

/** The reading around the pure ASHA decision: task building, the store at decision time, shared runs. No training. */
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'asha-task-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const asha = (reduction_factor = 3, min_epochs = 1): EarlyTermination => ({ type: 'asha', metric: 'val_accuracy', min_epochs, reduction_factor });
const metrics = (epoch: number, val_accuracy: number): EpochMetrics => ({
  epoch, train_loss: 1, train_accuracy: 0.5, val_loss: 1, val_accuracy, lr: 0.1, lr_end: 0.1, seconds: 1, images_per_second: 1,
});

/** Four runs in experiment `main` (ASHA), the last also in `baseline` (no early termination). */
function studyPlan(): RunPlan {
  const plan = fakePlan('study', [1, 2, 3, 4].map((seed) => fakeConfig({ seed, epochs: 9 })));
  const last = plan.runs[3];
  return {
    ...plan,
    experiments: [{ ...plan.experiments[0], early_termination: asha() }, { name: 'baseline', title: 'baseline', axes: [], runs: [last.id] }],
    runs: plan.runs.map((run) => (run.id === last.id ? { ...run, experiments: ['main', 'baseline'] } : run)),
  };
}

async function writeMetrics(file: string, lines: readonly EpochMetrics[]): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, lines.map((m) => `${JSON.stringify(m)}\n`).join(''));
}

describe('earlyTerminationTask', () => {
  it('ranks a run against the metrics files of the experiment\'s other runs', () => {
    const plan = studyPlan();
    const spec = specPaths(dir, plan.name);
    const task = earlyTerminationTask(plan, plan.runs[0], spec)!;
    expect(task.experiments).toEqual([{ experiment: 'main', rule: asha(), others: plan.runs.slice(1).map((run) => runPaths(spec, run.id).metrics) }]);
  });

  it('is undefined for a run shared with an experiment that trains it to the end', () => {
    const plan = studyPlan();
    expect(earlyTerminationTask(plan, plan.runs[3], specPaths(dir, plan.name))).toBeUndefined();
  });
});

describe('commonRungs', () => {
  it('stops a run shared by two terminating experiments only at the rungs they share', () => {
    const task = { experiments: [{ experiment: 'a', rule: asha(2), others: [] }, { experiment: 'b', rule: asha(4), others: [] }] };
    expect(commonRungs(task, 20)).toEqual([1, 4, 16]);
    expect(commonRungs({ experiments: [task.experiments[0]] }, 20)).toEqual([1, 2, 4, 8, 16]);
  });
});

describe('decideAfterEpoch', () => {
  it('reads the other runs\' values at the rung from the store as they are now, torn lines and later epochs aside', async () => {
    const plan = studyPlan();
    const spec = specPaths(dir, plan.name);
    const others = plan.runs.slice(1).map((run) => runPaths(spec, run.id).metrics);
    await writeMetrics(others[0], [metrics(1, 0.2), metrics(2, 0.9)]);
    await writeMetrics(others[1], [metrics(1, 0.8)]);
    await mkdir(dirname(others[2]), { recursive: true });
    await writeFile(others[2], `${JSON.stringify(metrics(1, 0.99)).slice(0, 30)}`); // torn: the writer died mid-line
    const task = earlyTerminationTask(plan, plan.runs[0], spec)!;
    // others at epoch 1: 0.2 and 0.8 -> cutoff 0.2 + (0.8 - 0.2) * 2/3 = 0.6
    expect(await decideAfterEpoch(task, 9, metrics(1, 0.5))).toMatchObject({ action: 'stop', experiment: 'main', rung: 1, value: 0.5, count: 2 });
    expect((await decideAfterEpoch(task, 9, metrics(1, 0.5)))!.cutoff).toBeCloseTo(0.6, 12);
    expect(await decideAfterEpoch(task, 9, metrics(1, 0.7))).toMatchObject({ action: 'continue', rung: 1 });
    expect(await decideAfterEpoch(task, 9, metrics(2, 0.1))).toBeNull(); // not a rung
    expect(await decideAfterEpoch(task, 9, metrics(3, 0.1))).toMatchObject({ action: 'continue', cutoff: null, count: 0 }); // first at rung 3
  });
});

describe('createRungGate', () => {
  it('records the decision and aborts training only on a stop', async () => {
    const plan = studyPlan();
    const spec = specPaths(dir, plan.name);
    await writeMetrics(runPaths(spec, plan.runs[1].id).metrics, [metrics(1, 0.9)]);
    const recorded: unknown[] = [];
    const signal = new AbortController().signal;
    const gate = createRungGate({ task: earlyTerminationTask(plan, plan.runs[0], spec), previous: null, epochs: 9, signal, record: async (d) => void recorded.push(d) })!;
    await gate.afterEpoch(metrics(1, 0.95));
    expect([gate.signal.aborted, gate.stopped()]).toEqual([false, null]);
    const again = createRungGate({ task: earlyTerminationTask(plan, plan.runs[0], spec), previous: null, epochs: 9, signal, record: async (d) => void recorded.push(d) })!;
    await again.afterEpoch(metrics(1, 0.5));
    expect(again.signal.aborted).toBe(true);
    expect(again.stopped()).toMatchObject({ action: 'stop', rung: 1, cutoff: 0.9, count: 1 });
    expect(recorded.map((d) => (d as { action: string }).action)).toEqual(['continue', 'stop']);
  });

  it('does not apply to a run continued after a stop (--rerun stopped), nor decide again at a rung decided before', async () => {
    const plan = studyPlan();
    const spec = specPaths(dir, plan.name);
    const task = earlyTerminationTask(plan, plan.runs[0], spec);
    const base = { task, epochs: 9, signal: new AbortController().signal, record: async () => undefined };
    const stop = { action: 'stop', experiment: 'main', rung: 1, metric: 'val_accuracy', value: 0.1, cutoff: 0.5, count: 3 } as const;
    expect(createRungGate({ ...base, previous: { early_termination: stop } })).toBeNull();
    await writeMetrics(runPaths(spec, plan.runs[1].id).metrics, [metrics(1, 0.9)]);
    const gate = createRungGate({ ...base, previous: { early_termination: { ...stop, action: 'continue' } } })!;
    await gate.afterEpoch(metrics(1, 0.1)); // decided by the earlier attempt: continue stands
    expect(gate.stopped()).toBeNull();
  });
});
