/**
 * The report Job's init container: waits until the training Job has finished,
 * however it finished (all indexes succeeded, or some failed for good), as
 * Slurm's `afterany` does. It asks the Kubernetes API from inside the pod
 * with the pod's service account, which the submission's Role allows to read
 * that one Job. A Job that no longer exists (deleted to cancel the
 * submission) ends the wait too: the report then shows what was completed.
 */
import { readFile } from 'node:fs/promises';
import { request } from 'node:https';

export type JobOutcome = 'complete' | 'failed' | 'gone';

/** What the API said about the Job: its HTTP status and, for 200, the object. */
export interface JobReading {
  readonly status: number;
  readonly job?: { readonly status?: { readonly conditions?: readonly { readonly type: string; readonly status: string }[] } };
  readonly body?: string;
}

export type JobReader = (name: string) => Promise<JobReading>;

export type WaitResult =
  | { readonly ok: true; readonly outcome: JobOutcome }
  | { readonly ok: false; readonly code: 'K8S_API_DENIED' | 'K8S_API_ERROR'; readonly message: string };

/** A finished Job carries a Complete or Failed condition with status "True" (FailureTarget and SuccessCriteriaMet come before the pods are gone). */
export function jobOutcome(reading: JobReading): JobOutcome | null {
  if (reading.status === 404) return 'gone';
  const conditions = reading.job?.status?.conditions ?? [];
  if (conditions.some((c) => c.type === 'Complete' && c.status === 'True')) return 'complete';
  if (conditions.some((c) => c.type === 'Failed' && c.status === 'True')) return 'failed';
  return null;
}

export interface WaitOptions {
  readonly name: string;
  readonly read: JobReader;
  readonly pollMs: number;
  /** Consecutive failed API calls (network, 5xx) tolerated before giving up. */
  readonly maxErrors?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly log?: (line: string) => void;
}

export async function waitForJob(options: WaitOptions): Promise<WaitResult> {
  const sleep = options.sleep ?? ((ms) => new Promise((done) => setTimeout(done, ms)));
  const log = options.log ?? (() => undefined);
  const maxErrors = options.maxErrors ?? 20;
  let errors = 0;
  for (;;) {
    let reading: JobReading;
    try {
      reading = await options.read(options.name);
    } catch (error) {
      reading = { status: 0, body: (error as Error).message };
    }
    if (reading.status === 401 || reading.status === 403) {
      return { ok: false, code: 'K8S_API_DENIED', message: `the API refused to show job ${options.name} (HTTP ${reading.status}): the pod's service account needs the submission's Role and RoleBinding (${reading.body ?? ''})`.trim() };
    }
    if (reading.status === 200 || reading.status === 404) {
      errors = 0;
      const outcome = jobOutcome(reading);
      if (outcome) {
        log(`job ${options.name} ${outcome === 'gone' ? 'no longer exists' : `is ${outcome}`}`);
        return { ok: true, outcome };
      }
    } else if (++errors >= maxErrors) {
      return { ok: false, code: 'K8S_API_ERROR', message: `asking the API for job ${options.name} failed ${errors} times in a row; last: HTTP ${reading.status} ${reading.body ?? ''}`.trim() };
    } else {
      log(`asking the API for job ${options.name}: HTTP ${reading.status} ${reading.body ?? ''}; trying again`);
    }
    await sleep(options.pollMs);
  }
}

const ACCOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface InClusterConfig {
  readonly host: string;
  readonly port: string;
  readonly token: string;
  readonly ca: string;
  readonly namespace: string;
}

/** The standard in-cluster configuration: KUBERNETES_SERVICE_HOST/PORT and the mounted service account. */
export async function inClusterConfig(env: NodeJS.ProcessEnv = process.env, accountDir = ACCOUNT): Promise<InClusterConfig | null> {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT ?? '443';
  if (!host) return null;
  try {
    const [token, ca, namespace] = await Promise.all(['token', 'ca.crt', 'namespace'].map((f) => readFile(`${accountDir}/${f}`, 'utf8')));
    return { host, port, token: token.trim(), ca, namespace: namespace.trim() };
  } catch {
    return null;
  }
}

/** GET /apis/batch/v1/namespaces/NS/jobs/NAME over HTTPS, trusting the cluster's CA. */
export function apiJobReader(config: InClusterConfig, namespace = config.namespace): JobReader {
  return (name) =>
    new Promise((resolve, reject) => {
      const host = config.host.includes(':') ? `[${config.host}]` : config.host;
      const url = new URL(`https://${host}:${config.port}/apis/batch/v1/namespaces/${encodeURIComponent(namespace)}/jobs/${encodeURIComponent(name)}`);
      const req = request(url, { ca: config.ca, headers: { authorization: `Bearer ${config.token}`, accept: 'application/json' }, timeout: 30_000 }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status !== 200) return resolve({ status, body: body.slice(0, 300) });
          try {
            resolve({ status, job: JSON.parse(body) as JobReading['job'] });
          } catch {
            resolve({ status: 0, body: 'the API answered with something that is not JSON' });
          }
        });
      });
      req.on('timeout', () => req.destroy(new Error('no answer in 30 s')));
      req.on('error', reject);
      req.end();
    });
}
