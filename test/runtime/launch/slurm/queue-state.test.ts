import { describe, expect, it } from 'vitest';
import { isActive, parseSacct, parseSqueue } from '../../../../runtime/launch/slurm/queue-state.js';
import { describeJob } from '../../../../runtime/launch/slurm/scheduler-view.js';

// As printed by Slurm 22.05 `squeue -h -r -t all -O <SQUEUE_FORMAT>` and `sacct -n -P -X -o <SACCT_FIELDS>`.
const SQUEUE = [
  '12_0|12|0|RUNNING|None|node07|0|',
  '12_1|12|1|PENDING|BeginTime||1|',
  '12_2|12|2|PENDING|JobArrayTaskLimit||0|',
  '13|13|N/A|PENDING|Dependency||0|',
  '',
].join('\n');
const SACCT = ['12_3|CANCELLED by 0|node02|0:15|0', '12_4|FAILED|node03|1:0|0', '12_[5-9%2]|PENDING|None assigned|0:0|0', '14|TIMEOUT|node01|0:0|2', ''].join('\n');

describe('Slurm queue states', () => {
  it('reads squeue lines: array tasks with their index, plain jobs without', () => {
    const states = parseSqueue(SQUEUE);
    expect(states.map((s) => [s.jobId, s.taskIndex, s.state, s.reason, s.node, s.restarts])).toEqual([
      ['12_0', 0, 'RUNNING', 'None', 'node07', 0],
      ['12_1', 1, 'PENDING', 'BeginTime', '', 1],
      ['12_2', 2, 'PENDING', 'JobArrayTaskLimit', '', 0],
      ['13', undefined, 'PENDING', 'Dependency', '', 0],
    ]);
  });

  it('reads sacct lines, keeping who cancelled and skipping unexpanded ranges', () => {
    const states = parseSacct(SACCT);
    expect(states.map((s) => [s.jobId, s.arrayJobId, s.taskIndex, s.state, s.reason, s.exitCode])).toEqual([
      ['12_3', '12', 3, 'CANCELLED', 'CANCELLED by 0', '0:15'],
      ['12_4', '12', 4, 'FAILED', 'None', '1:0'],
      ['14', '14', undefined, 'TIMEOUT', 'None', '0:0'],
    ]);
  });

  it('counts queued, running and requeued tasks as holding their run, ended ones not', () => {
    expect(['PENDING', 'RUNNING', 'REQUEUED', 'COMPLETING', 'SUSPENDED'].every(isActive)).toBe(true);
    expect(['COMPLETED', 'CANCELLED', 'FAILED', 'TIMEOUT', 'NODE_FAIL', 'PREEMPTED', 'OUT_OF_MEMORY'].some(isActive)).toBe(false);
  });

  it('says what each state means for the user', () => {
    const [running, requeued, throttled, report] = parseSqueue(SQUEUE);
    const [cancelled, failed, timeout] = parseSacct(SACCT);
    expect([running, requeued, throttled, report, cancelled, failed, timeout].map(describeJob)).toEqual([
      'running on node07',
      'requeued 1x, queued (waits to restart)',
      'queued (waits for --max-parallel)',
      'queued (waits for the array to end)',
      'cancelled (CANCELLED by 0)',
      'failed (exit 1:0)',
      'requeued 2x, hit its time limit',
    ]);
  });
});
