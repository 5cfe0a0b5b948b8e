import { describe, expect, it } from 'vitest';
import { formatKubernetesView, kubernetesView } from '../../../../runtime/launch/kubernetes/cluster-view.js';
import type { SubmissionRecord } from '../../../../runtime/launch/submission.js';
import type { RunStatusRow } from '../../../../runtime/runner/sweep-status.js';

const record = {
  id: '20261202T114455Z-9c1e',
  engine: 'kubernetes',
  jobs: { namespace: 'vision', train: 'sweepspec-p-9c1e', report: 'sweepspec-p-9c1e-report' },
  tasks: ['a', 'b', 'c', 'd', 'e'].map((name, index) => ({ index, run_id: `${name}`.repeat(12), name: `lr=${index}` })),
} as unknown as SubmissionRecord;

const pod = (index: number, name: string, created: string, status: object, node?: string) => ({
  metadata: { name, creationTimestamp: created, annotations: { 'batch.kubernetes.io/job-completion-index': String(index) } },
  spec: node ? { nodeName: node } : {},
  status,
});

describe('kubernetesView', () => {
  it("shows each index's state from the Job and its newest pod, next to the run's own state", () => {
    const view = kubernetesView(record, {
      train: { status: { completedIndexes: '0', failedIndexes: '4' } },
      report: { status: {} },
      pods: [
        pod(0, 'p-0-aaaaa', '2026-12-02T11:45:00Z', { phase: 'Succeeded' }, 'n1'),
        pod(1, 'p-1-bbbbb', '2026-12-02T11:45:00Z', { phase: 'Failed', reason: 'Evicted' }, 'n2'),
        pod(1, 'p-1-ccccc', '2026-12-02T11:50:00Z', { phase: 'Running' }, 'n3'),
        pod(2, 'p-2-ddddd', '2026-12-02T11:45:00Z', { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available: 3 Insufficient nvidia.com/gpu.' }] }),
      ],
    });
    const rows = [
      { id: 'aaaaaaaaaaaa', name: 'lr=0', status: 'completed', epochs: 3, epochsCompleted: 3 },
      { id: 'bbbbbbbbbbbb', name: 'lr=1', status: 'running', epochs: 3, epochsCompleted: 1 },
    ] as unknown as RunStatusRow[];
    expect(formatKubernetesView([view], rows)).toBe(
      [
        '',
        'Kubernetes submission 20261202T114455Z-9c1e: Indexed Job sweepspec-p-9c1e (namespace vision), report Job: waits for the Indexed Job',
        '  index  id            name  run                 pod        kubernetes',
        '  0      aaaaaaaaaaaa  lr=0  completed 3/3       p-0-aaaaa  completed',
        '  1      bbbbbbbbbbbb  lr=1  running 1/3         p-1-ccccc  running on n3',
        '  2      cccccccccccc  lr=2  not in the plan now  p-2-ddddd  queued (Unschedulable: 0/3 nodes are available: 3 Insufficient nvidia.com/gpu.)',
        '  3      dddddddddddd  lr=3  not in the plan now  -          waiting for a pod (--max-parallel or a retry)',
        '  4      eeeeeeeeeeee  lr=4  not in the plan now  -          failed for good (retries used up)',
        '',
      ].join('\n'),
    );
  });

  it('says when the Job is gone, and when the report was written', () => {
    expect(kubernetesView(record, { train: null, report: null, pods: [] })).toMatchObject({ report: 'gone', tasks: [{ text: 'Job deleted' }, {}, {}, {}, {}] });
    const done = kubernetesView(record, {
      train: { status: { completedIndexes: '0-4', conditions: [{ type: 'Complete', status: 'True' }] } },
      report: { status: { conditions: [{ type: 'Complete', status: 'True' }] } },
      pods: [],
    });
    expect(done.report).toBe('report written');
    expect(done.tasks.map((t) => t.text)).toEqual(Array(5).fill('completed'));
  });
});
