/**
 * From checked options and the tasks of a submission to the manifests and
 * their YAML: volumes, objects, schema check. Pure; `submit` writes the
 * record and the YAML and runs kubectl around it.
 */
import type { RunConfig } from '../../../compiler/types/run-config.js';
import { buildManifests, reportJobName, trainJobName, type KubernetesSubmission, type Manifest } from './build-manifests.js';
import { labelValue } from './names.js';
import type { KubernetesOptions } from './options.js';
import { renderManifests } from './render-yaml.js';
import { formatManifestProblems, validateManifests } from './validate-manifests.js';
import { planVolumes } from './volumes.js';

export interface KubernetesSubmissionInput {
  readonly options: KubernetesOptions;
  readonly study: string;
  readonly submissionId: string;
  /** Absolute; the pods see the same path. */
  readonly submissionDir: string;
  /** Absolute results folder on this machine: the root of the results claim. */
  readonly resultsDir: string;
  readonly specDir: string;
  /** The runs the tasks train, index i at position i. */
  readonly runs: readonly { readonly name: string; readonly config: RunConfig }[];
  /** More runs whose data and weights the pods must reach (those a search slot's proposal may resemble). */
  readonly volumeRuns?: readonly { readonly name: string; readonly config: RunConfig }[];
  readonly weightsDir: string;
}

export type PreparedSubmission =
  | {
      readonly ok: true;
      readonly manifests: readonly Manifest[];
      readonly yaml: string;
      readonly trainJob: string;
      readonly reportJob: string;
      readonly notices: readonly string[];
    }
  | { readonly ok: false; readonly code: 'K8S_VOLUMES' | 'K8S_SCHEMA' | 'K8S_NOTHING_TO_RUN'; readonly message: string };

export function prepareKubernetesSubmission(input: KubernetesSubmissionInput): PreparedSubmission {
  const { options } = input;
  if (input.runs.length === 0) return { ok: false, code: 'K8S_NOTHING_TO_RUN', message: 'no run needs training: nothing to submit' };
  const volumes = planVolumes({
    resultsDir: input.resultsDir,
    resultsClaim: options.resultsClaim,
    dataClaim: options.dataClaim,
    dataMount: options.dataMount,
    specDir: input.specDir,
    runs: [...input.runs, ...(input.volumeRuns ?? [])],
    weightsDir: input.weightsDir,
  });
  if (!volumes.ok) return { ok: false, code: 'K8S_VOLUMES', message: volumes.message };
  const submission: KubernetesSubmission = {
    study: input.study,
    submissionId: input.submissionId,
    submissionDir: input.submissionDir,
    taskCount: input.runs.length,
    image: options.image,
    namespace: options.namespace,
    cpusPerRun: options.cpusPerRun,
    memory: options.memory,
    gpusPerRun: options.gpusPerRun,
    maxParallel: options.maxParallel ?? input.runs.length,
    retries: options.retries,
    jobWideRetries: options.jobWideRetries,
    volumes: volumes.layout,
  };
  const manifests = buildManifests(submission);
  const problems = validateManifests(manifests);
  if (problems.length > 0) {
    return { ok: false, code: 'K8S_SCHEMA', message: `the generated manifests do not match the Kubernetes API schemas:\n${formatManifestProblems(problems)}` };
  }
  const train = trainJobName(submission);
  const header = [
    `sweepspec submit --kubernetes: study ${input.study}, submission ${input.submissionId}, ${input.runs.length} run${input.runs.length === 1 ? '' : 's'}`,
    `task index -> run: ${input.submissionDir}/submission.json`,
    `follow: kubectl -n ${options.namespace} get pods -l sweepspec/submission=${labelValue(input.submissionId)}`,
    `cancel: kubectl -n ${options.namespace} delete job ${train} ${reportJobName(submission)}`,
  ];
  return { ok: true, manifests, yaml: renderManifests(manifests, header), trainJob: train, reportJob: reportJobName(submission), notices: volumes.layout.notices };
}
