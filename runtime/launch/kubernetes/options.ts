/**
 * The Kubernetes options of `submit`, from the strings commander hands over
 * to checked values. Every problem is a message for exit 2; nothing here
 * touches the file system.
 */
import { isDnsLabel } from './names.js';
import { memoryQuantity, wholeNumber } from './resources.js';

export interface KubernetesCliOptions {
  readonly image?: string;
  readonly resultsPvc?: string;
  readonly namespace?: string;
  readonly dataPvc?: string;
  readonly dataMount?: string;
  readonly gpusPerRun?: string;
  readonly cpusPerRun?: string;
  readonly mem?: string;
  readonly maxParallel?: string;
  readonly retries?: string;
  readonly jobWideRetries?: boolean;
}

export interface KubernetesOptions {
  readonly image: string;
  readonly resultsClaim: string;
  readonly namespace: string;
  readonly dataClaim?: string;
  readonly dataMount?: string;
  readonly gpusPerRun: number;
  readonly cpusPerRun: number;
  readonly memory: string;
  /** Absent: every task at once. */
  readonly maxParallel?: number;
  readonly retries: number;
  readonly jobWideRetries: boolean;
}

export const KUBERNETES_DEFAULTS = { namespace: 'default', cpusPerRun: '1', mem: '8G', gpusPerRun: '0', retries: '3' } as const;

/** Options that only make sense on Kubernetes: given without --kubernetes they are an error. */
export const KUBERNETES_ONLY = ['image', 'resultsPvc', 'namespace', 'dataPvc', 'dataMount', 'retries', 'jobWideRetries', 'out', 'apply'] as const;

export type OptionsResult = { readonly ok: true; readonly options: KubernetesOptions } | { readonly ok: false; readonly messages: readonly string[] };

export function parseKubernetesOptions(raw: KubernetesCliOptions): OptionsResult {
  const messages: string[] = [];
  if (!raw.image) messages.push('--kubernetes needs --image IMAGE: the runner image every pod runs (docs/cluster.md, "The runner image")');
  else if (/\s/.test(raw.image)) messages.push(`--image ${JSON.stringify(raw.image)} is not an image reference (it contains white space)`);
  if (!raw.resultsPvc) messages.push('--kubernetes needs --results-pvc NAME: the ReadWriteMany PersistentVolumeClaim that holds the results folder');
  else if (!isClaimName(raw.resultsPvc)) messages.push(`--results-pvc ${JSON.stringify(raw.resultsPvc)} is not a claim name (lower-case letters, digits, '-' and '.', at most 253)`);
  if (raw.dataPvc !== undefined && !isClaimName(raw.dataPvc)) messages.push(`--data-pvc ${JSON.stringify(raw.dataPvc)} is not a claim name (lower-case letters, digits, '-' and '.', at most 253)`);
  const namespace = raw.namespace ?? KUBERNETES_DEFAULTS.namespace;
  if (!isDnsLabel(namespace)) messages.push(`--namespace ${JSON.stringify(namespace)} is not a namespace name (lower-case letters, digits and '-', at most 63)`);
  const memory = memoryQuantity(raw.mem ?? KUBERNETES_DEFAULTS.mem);
  const cpus = wholeNumber('--cpus-per-run', raw.cpusPerRun ?? KUBERNETES_DEFAULTS.cpusPerRun, 1, 1024);
  const gpus = wholeNumber('--gpus-per-run', raw.gpusPerRun ?? KUBERNETES_DEFAULTS.gpusPerRun, 0, 64);
  const retries = wholeNumber('--retries', raw.retries ?? KUBERNETES_DEFAULTS.retries, 0, 100);
  const parallel = raw.maxParallel === undefined ? undefined : wholeNumber('--max-parallel', raw.maxParallel, 1);
  for (const parsed of [memory, cpus, gpus, retries, parallel]) if (parsed && !parsed.ok) messages.push(parsed.message);
  if (messages.length > 0 || !memory.ok || !cpus.ok || !gpus.ok || !retries.ok || (parallel && !parallel.ok)) return { ok: false, messages };
  return {
    ok: true,
    options: {
      image: raw.image!,
      resultsClaim: raw.resultsPvc!,
      namespace,
      ...(raw.dataPvc !== undefined ? { dataClaim: raw.dataPvc } : {}),
      ...(raw.dataMount !== undefined ? { dataMount: raw.dataMount } : {}),
      gpusPerRun: gpus.value,
      cpusPerRun: cpus.value,
      memory: memory.value,
      ...(parallel ? { maxParallel: parallel.value } : {}),
      retries: retries.value,
      jobWideRetries: raw.jobWideRetries === true,
    },
  };
}

/** A PersistentVolumeClaim name is a DNS subdomain (RFC 1123). */
function isClaimName(text: string): boolean {
  return text.length <= 253 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(text);
}
