import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readResults } from '../../../runtime/report/read-results.js';
import { UserError } from '../../../bin/user-error.js';
import { copyFixtures, FIXTURE_RESULTS } from './helpers.js';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => cleanup?.());

describe('readResults', () => {
  it('refuses a folder without plan.json, saying what it expected', async () => {
    const error = await readResults({ dir: path.dirname(FIXTURE_RESULTS) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(/stored\/plan\.json: no plan\.json here; is this a results directory written by `sweepspec run`\?$/);
  });

  it('reports a running run whose runner left no live lease as interrupted, a held one as running', async () => {
    const fixture = await copyFixtures();
    cleanup = fixture.cleanup;
    const stale = await readResults({ dir: fixture.results });
    expect(stale.runs.b00100000007.record?.status).toBe('interrupted');
    const lease = path.join(fixture.results, 'runs', 'b00100000007', 'lease');
    await mkdir(lease);
    await writeFile(path.join(lease, 'owner.json'), JSON.stringify({ host: 'h', pid: 1, token: 't', acquired_at: '2026-01-01T00:00:00Z' }));
    const held = await readResults({ dir: fixture.results });
    expect(held.runs.b00100000007.record?.status).toBe('running');
  });

  it('turns damaged files into notes and keeps what it can read', async () => {
    const fixture = await copyFixtures();
    cleanup = fixture.cleanup;
    const runs = path.join(fixture.results, 'runs');
    await writeFile(path.join(runs, 'a11000000004', 'record.json'), '{"id": "a11');
    const lines = ['{"epoch":1,"train_loss":1,"train_accuracy":0.5,"val_loss":1,"val_accuracy":0.5,"lr":0.1,"lr_end":0.1,"seconds":1,"images_per_second":1}', 'garbage', '{"epoch":3,"train_loss":1,"train_accuracy":0.5,"val_loss":1,"val_accuracy":0.6,"lr":0.1,"lr_end":0.1,"seconds":1,"images_per_second":1}'];
    await writeFile(path.join(runs, 'b01000000005', 'metrics.jsonl'), `${lines.join('\n')}\n`);
    await rm(path.join(runs, 'b01000000006', 'evaluation.json'));
    const stored = await readResults({ dir: fixture.results, checkLeases: false });
    expect(stored.notes).toEqual([
      'runs/a11000000004/record.json is not valid JSON (a run may be writing it); ignored.',
      'runs/b01000000005/metrics.jsonl: line 2 is not valid JSON; ignored.',
      'runs/b00100000007/metrics.jsonl: the last line is incomplete (a run may be writing it); ignored.',
    ]);
    expect(stored.runs.a11000000004.record).toBeNull();
    expect(stored.runs.a11000000004.metrics).toHaveLength(3);
    expect(stored.runs.b01000000005.metrics.map((m) => m.epoch)).toEqual([1, 3]);
    expect(stored.runs.b01000000006.evaluation).toBeNull();
    expect(stored.runs.a50000000003).toEqual({ id: 'a50000000003', record: null, metrics: [], evaluation: null, predictions: null });
  });
});
