import type { RunStatusRow } from '../../runner/sweep-status.js';
import { isActive, type SlurmJobState } from './queue-state.js';
import type { SubmissionStates } from './submission-states.js';

/** One run's task as Slurm sees it, next to the run's own state. */
export interface ScheduledRunView {
  readonly index: number;
  readonly runId: string;
  readonly name: string;
  readonly jobId: string;
  /** Slurm's state (PENDING, RUNNING, ...), or null when Slurm no longer knows the task (no accounting). */
  readonly state: string | null;
  readonly text: string;
}

export interface SubmissionView {
  readonly id: string;
  readonly dir: string;
  readonly arrayJobId: string;
  readonly reportJobId?: string;
  readonly report: string;
  readonly tasks: readonly ScheduledRunView[];
}

/**
 * The submissions `status` shows: those with a task or report job still in
 * the queue, and always the latest one. Pure over what was read.
 */
export function schedulerView(states: readonly SubmissionStates[]): SubmissionView[] {
  const shown = states.filter(
    (s, i) => i === states.length - 1 || [...s.tasks.values()].some((t) => isActive(t.state)) || (s.report !== undefined && isActive(s.report.state)),
  );
  return shown.map(({ submission, tasks, report }) => ({
    id: submission.record.id,
    dir: submission.dir,
    arrayJobId: submission.record.jobs.array,
    ...(submission.record.jobs.report ? { reportJobId: submission.record.jobs.report } : {}),
    report: report ? describeJob(report) : 'no longer known to Slurm',
    tasks: submission.record.tasks.map((task) => {
      const state = tasks.get(task.index);
      return {
        index: task.index,
        runId: task.run_id,
        name: task.name,
        jobId: `${submission.record.jobs.array}_${task.index}`,
        state: state?.state ?? null,
        text: state ? describeJob(state) : 'no longer known to Slurm (see the run state)',
      };
    }),
  }));
}

const WAITING: Readonly<Record<string, string>> = {
  Priority: 'other jobs come first',
  Resources: 'waiting for free resources',
  Dependency: 'waits for the array to end',
  JobArrayTaskLimit: 'waits for --max-parallel',
  BeginTime: 'waits to restart',
  JobHeldUser: 'held',
  JobHeldAdmin: 'held by an administrator',
  QOSMaxJobsPerUserLimit: 'QOS job limit reached',
  AssocGrpCPULimit: 'account CPU limit reached',
  ReqNodeNotAvail: 'requested nodes unavailable',
  PartitionDown: 'partition down',
};

const ENDED: Readonly<Record<string, string>> = {
  COMPLETED: 'ended',
  CANCELLED: 'cancelled',
  FAILED: 'failed',
  TIMEOUT: 'hit its time limit',
  NODE_FAIL: 'its node failed',
  PREEMPTED: 'preempted',
  OUT_OF_MEMORY: 'ran out of memory',
  BOOT_FAIL: 'its node failed to boot',
  DEADLINE: 'passed its deadline',
};

/** `queued (waits for --max-parallel)`, `running on node3`, `requeued 1x, queued (...)`, `failed (exit 1:0)`. */
export function describeJob(job: SlurmJobState): string {
  const requeued = job.restarts > 0 ? `requeued ${job.restarts}x, ` : '';
  if (job.state === 'PENDING') {
    const why = WAITING[job.reason] ?? job.reason;
    return `${requeued}queued${why && why !== 'None' ? ` (${why})` : ''}`;
  }
  if (job.state === 'RUNNING') return `${requeued}running on ${job.node || 'a node'}`;
  if (job.state === 'COMPLETING') return `${requeued}ending on ${job.node || 'a node'}`;
  if (ENDED[job.state]) {
    const detail = job.state === 'FAILED' && job.exitCode ? ` (exit ${job.exitCode})` : job.reason !== 'None' && job.reason ? ` (${job.reason})` : '';
    return `${requeued}${ENDED[job.state]}${detail}`;
  }
  return `${requeued}${job.state.toLowerCase()}${job.reason && job.reason !== 'None' ? ` (${job.reason})` : ''}`;
}

/** The section `sweepspec status` prints under its run table. */
export function formatSchedulerView(views: readonly SubmissionView[], rows: readonly RunStatusRow[]): string {
  const byId = new Map(rows.map((row) => [row.id, row]));
  const lines: string[] = [];
  for (const view of views) {
    const report = view.reportJobId ? `, report job ${view.reportJobId}: ${view.report}` : '';
    lines.push('', `Slurm submission ${view.id}: array ${view.arrayJobId}${report}`);
    const nameWidth = Math.max(4, ...view.tasks.map((t) => t.name.length));
    const jobWidth = Math.max(3, ...view.tasks.map((t) => t.jobId.length));
    lines.push(`  ${'job'.padEnd(jobWidth)}  ${'id'.padEnd(12)}  ${'name'.padEnd(nameWidth)}  ${'run'.padEnd(18)}  slurm`);
    for (const task of view.tasks) {
      const row = byId.get(task.runId);
      // A search slot's task shows its label until the slot has proposed its run (readSchedulerStatus resolves it).
      const run = row ? `${row.status} ${row.epochsCompleted}/${row.epochs}` : task.runId.includes('#') ? 'to be proposed' : 'not in the plan now';
      lines.push(`  ${task.jobId.padEnd(jobWidth)}  ${task.runId.padEnd(12)}  ${task.name.padEnd(nameWidth)}  ${run.padEnd(18)}  ${task.text}`);
    }
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}
