/**
 * The Kubernetes objects of one submission, as plain values (no I/O):
 *
 *   - an Indexed Job with one completion index per task of the submission
 *     record; the pod of index i runs `sweepspec task DIR --index i`, which
 *     trains the run the record maps to i with the ordinary runner (lease,
 *     checkpoints, resume);
 *   - a report Job whose pod first waits, in an init container, until the
 *     Indexed Job has finished however it finished (Kubernetes has no
 *     `afterany` dependency between Jobs), then runs `sweepspec task DIR
 *     --report`;
 *   - a ServiceAccount, Role and RoleBinding that let the report pod read
 *     that one Job and nothing else.
 *
 * Retries: `backoffLimitPerIndex` gives each run its own retry budget, so one
 * run that keeps crashing does not use up the others' (beta and on by default
 * since Kubernetes 1.29, GA in 1.33). Evictions, preemptions and node drains
 * mark the pod with the DisruptionTarget condition and are not counted
 * (podFailurePolicy, GA in 1.31): the replacement pod resumes from the last
 * completed epoch. Exit code 2 is invalid input, which a retry would only
 * repeat, so it fails the index at once. `jobWideRetries` is the alternative
 * for clusters before 1.29: one `backoffLimit` for the whole Job.
 */
import type { IJob } from 'kubernetes-models/batch/v1';
import type { IRole, IRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import type { IContainer, IServiceAccount, IVolume, IVolumeMount, IEnvVar } from 'kubernetes-models/v1';
import { jobBaseName, labelValue } from './names.js';
import type { VolumeLayout } from './volumes.js';

export type Manifest = IServiceAccount | IRole | IRoleBinding | IJob;

export interface KubernetesSubmission {
  readonly study: string;
  readonly submissionId: string;
  /** Absolute path of the submission record; the same path in the pods (volumes.ts). */
  readonly submissionDir: string;
  /** Tasks in the record: index 0 .. taskCount-1. */
  readonly taskCount: number;
  readonly image: string;
  readonly namespace: string;
  readonly cpusPerRun: number;
  /** A Kubernetes quantity (resources.ts). */
  readonly memory: string;
  readonly gpusPerRun: number;
  readonly maxParallel: number;
  /** Retries of one run after its pod failed (evictions not counted). */
  readonly retries: number;
  readonly jobWideRetries: boolean;
  readonly volumes: VolumeLayout;
}

/** Time a pod gets after SIGTERM: the runner finishes its step and writes what is complete. */
const GRACE_SECONDS = 120;
/** Exit code of sweepspec for invalid input (a spec, a flag, a missing file): retrying cannot help. */
const EXIT_INVALID_INPUT = 2;
const INDEX_ANNOTATION = "metadata.annotations['batch.kubernetes.io/job-completion-index']";

export function trainJobName(s: KubernetesSubmission): string {
  return jobBaseName(s.study, s.submissionId);
}

export function reportJobName(s: KubernetesSubmission): string {
  return `${trainJobName(s)}-report`;
}

export function buildManifests(s: KubernetesSubmission): Manifest[] {
  const train = trainJobName(s);
  const report = reportJobName(s);
  const meta = (name: string, component: string) => ({ name, namespace: s.namespace, labels: labels(s, component) });
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(report, 'report') },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: meta(report, 'report'),
      rules: [{ apiGroups: ['batch'], resources: ['jobs'], resourceNames: [train], verbs: ['get'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: meta(report, 'report'),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: report },
      subjects: [{ kind: 'ServiceAccount', name: report, namespace: s.namespace }],
    },
    trainJob(s, train, meta(train, 'train')),
    reportJob(s, report, train, meta(report, 'report')),
  ];
}

function trainJob(s: KubernetesSubmission, name: string, metadata: IJob['metadata']): IJob {
  const retries = s.jobWideRetries
    ? { backoffLimit: s.retries * s.taskCount }
    : { backoffLimitPerIndex: s.retries };
  const failIndex = s.jobWideRetries
    ? []
    : [{ action: 'FailIndex' as const, onExitCodes: { containerName: 'train', operator: 'In' as const, values: [EXIT_INVALID_INPUT] } }];
  const container: IContainer = {
    name: 'train',
    image: s.image,
    command: ['sweepspec'],
    args: ['task', s.submissionDir, '--index', '$(JOB_COMPLETION_INDEX)'],
    env: [
      // Defined here (the Job controller adds the same only when absent) so that $(...) in args expands.
      { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { fieldPath: INDEX_ANNOTATION } } },
      // The pod sees every core of its node; the run sizes its thread pools and data workers by what it asked for.
      { name: 'SWEEPSPEC_CPUS', value: String(s.cpusPerRun) },
      ...commonEnv(s),
    ],
    resources: {
      requests: { cpu: String(s.cpusPerRun), memory: s.memory },
      limits: { memory: s.memory, ...(s.gpusPerRun > 0 ? { 'nvidia.com/gpu': String(s.gpusPerRun) } : {}) },
    },
    volumeMounts: volumeMounts(s),
  };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { ...metadata, annotations: { 'sweepspec/submission-dir': s.submissionDir } },
    spec: {
      completionMode: 'Indexed',
      completions: s.taskCount,
      parallelism: Math.min(s.maxParallel, s.taskCount),
      ...retries,
      podFailurePolicy: {
        rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] }, ...failIndex],
      },
      template: {
        metadata: { labels: labels(s, 'train') },
        spec: {
          restartPolicy: 'Never',
          terminationGracePeriodSeconds: GRACE_SECONDS,
          ...(s.gpusPerRun > 0 ? { tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }] } : {}),
          containers: [container],
          volumes: volumes(s),
        },
      },
    },
  };
}

function reportJob(s: KubernetesSubmission, name: string, train: string, metadata: IJob['metadata']): IJob {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { ...metadata, annotations: { 'sweepspec/submission-dir': s.submissionDir, 'sweepspec/waits-for': train } },
    spec: {
      backoffLimit: 2,
      template: {
        metadata: { labels: labels(s, 'report') },
        spec: {
          restartPolicy: 'Never',
          serviceAccountName: name,
          initContainers: [
            {
              name: 'wait',
              image: s.image,
              command: ['sweepspec'],
              args: ['kubernetes', 'wait-job', train],
              resources: { requests: { cpu: '50m', memory: '256Mi' }, limits: { memory: '512Mi' } },
            },
          ],
          containers: [
            {
              name: 'report',
              image: s.image,
              command: ['sweepspec'],
              args: ['task', s.submissionDir, '--report'],
              env: commonEnv(s),
              resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { memory: '4Gi' } },
              volumeMounts: volumeMounts(s),
            },
          ],
          volumes: volumes(s),
        },
      },
    },
  };
}

function labels(s: KubernetesSubmission, component: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': 'sweepspec',
    'app.kubernetes.io/component': component,
    'sweepspec/study': labelValue(s.study),
    'sweepspec/submission': labelValue(s.submissionId),
  };
}

function commonEnv(s: KubernetesSubmission): IEnvVar[] {
  return [
    // Retried pods of one index share a hostname (<job>-<index>) and often the same pid in their
    // fresh pid namespace; the pod name is unique, so a lease left by a dead pod is judged by its age.
    { name: 'SWEEPSPEC_LEASE_HOST', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    ...(s.volumes.weightsDir ? [{ name: 'SWEEPSPEC_WEIGHTS', value: s.volumes.weightsDir }] : []),
  ];
}

function volumeMounts(s: KubernetesSubmission): IVolumeMount[] {
  return s.volumes.mounts.map((m) => ({ name: m.name, mountPath: m.mountPath, ...(m.readOnly ? { readOnly: true } : {}) }));
}

function volumes(s: KubernetesSubmission): IVolume[] {
  return s.volumes.mounts.map((m) => ({
    name: m.name,
    persistentVolumeClaim: { claimName: m.claim, ...(m.readOnly ? { readOnly: true } : {}) },
  }));
}
