import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { rootCertificates } from 'node:tls';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { apiJobReader, inClusterConfig, jobOutcome, waitForJob, type JobReading } from '../../../../runtime/launch/kubernetes/wait-job.js';

const FIXTURES = 'test/runtime/launch/kubernetes/fixtures';
const job = (...conditions: [string, string][]): JobReading => ({ status: 200, job: { status: { conditions: conditions.map(([type, status]) => ({ type, status })) } } });

describe('jobOutcome', () => {
  it('is finished only on a Complete or Failed condition that is True, or when the Job is gone', () => {
    expect(jobOutcome(job())).toBeNull();
    expect(jobOutcome(job(['SuccessCriteriaMet', 'True']))).toBeNull();
    expect(jobOutcome(job(['FailureTarget', 'True']))).toBeNull();
    expect(jobOutcome(job(['Complete', 'False']))).toBeNull();
    expect(jobOutcome(job(['SuccessCriteriaMet', 'True'], ['Complete', 'True']))).toBe('complete');
    expect(jobOutcome(job(['FailureTarget', 'True'], ['Failed', 'True']))).toBe('failed');
    expect(jobOutcome({ status: 404 })).toBe('gone');
  });
});

describe('waitForJob', () => {
  const noSleep = async () => undefined;

  it('polls until the Job has finished, riding out transient API errors', async () => {
    const answers: (JobReading | Error)[] = [job(), { status: 503, body: 'etcd' }, new Error('ECONNRESET'), job(['Failed', 'True'])];
    const log: string[] = [];
    const result = await waitForJob({
      name: 'train',
      pollMs: 1,
      sleep: noSleep,
      log: (line) => log.push(line),
      read: async () => {
        const next = answers.shift()!;
        if (next instanceof Error) throw next;
        return next;
      },
    });
    expect(result).toEqual({ ok: true, outcome: 'failed' });
    expect(answers).toEqual([]);
    expect(log).toEqual([
      'asking the API for job train: HTTP 503 etcd; trying again',
      'asking the API for job train: HTTP 0 ECONNRESET; trying again',
      'job train is failed',
    ]);
  });

  it('stops at once when the service account may not read the Job', async () => {
    const result = await waitForJob({ name: 'train', pollMs: 1, sleep: noSleep, read: async () => ({ status: 403, body: 'forbidden' }) });
    expect(result).toMatchObject({ ok: false, code: 'K8S_API_DENIED' });
  });

  it('gives up after maxErrors failures in a row', async () => {
    let calls = 0;
    const result = await waitForJob({ name: 'train', pollMs: 1, sleep: noSleep, maxErrors: 3, read: async () => (calls++, { status: 500, body: 'boom' }) });
    expect(result).toEqual({ ok: false, code: 'K8S_API_ERROR', message: 'asking the API for job train failed 3 times in a row; last: HTTP 500 boom' });
    expect(calls).toBe(3);
  });
});

describe('apiJobReader against a fake API server over TLS', () => {
  let server: Server | undefined;
  let account: string | undefined;
  afterEach(async () => {
    await new Promise((done) => (server ? server.close(done) : done(undefined)));
    if (account) await rm(account, { recursive: true, force: true });
    server = undefined;
    account = undefined;
  });

  it('reads the in-cluster configuration and GETs the Job with the bearer token, trusting only the cluster CA', async () => {
    const seen: { url?: string; auth?: string }[] = [];
    const finished = { apiVersion: 'batch/v1', kind: 'Job', status: { conditions: [{ type: 'Complete', status: 'True' }] } };
    server = createServer({ key: readFileSync(`${FIXTURES}/api-server.key`), cert: readFileSync(`${FIXTURES}/api-server.crt`) }, (req, res) => {
      seen.push({ url: req.url, auth: req.headers.authorization });
      if (req.url === '/apis/batch/v1/namespaces/vision/jobs/train-a') res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(finished));
      else res.writeHead(404).end('{"kind":"Status","reason":"NotFound"}');
    });
    await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));
    const port = String((server.address() as AddressInfo).port);

    account = await mkdtemp(join(tmpdir(), 'serviceaccount-'));
    await writeFile(join(account, 'token'), 'secret-token\n');
    await writeFile(join(account, 'ca.crt'), readFileSync(`${FIXTURES}/api-server.crt`));
    await writeFile(join(account, 'namespace'), 'vision');
    const config = await inClusterConfig({ KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: port }, account);
    expect(config).toMatchObject({ host: '127.0.0.1', port, token: 'secret-token', namespace: 'vision' });

    const read = apiJobReader(config!);
    expect(jobOutcome(await read('train-a'))).toBe('complete');
    expect(await read('train-b')).toEqual({ status: 404, body: '{"kind":"Status","reason":"NotFound"}' });
    expect(seen).toEqual([
      { url: '/apis/batch/v1/namespaces/vision/jobs/train-a', auth: 'Bearer secret-token' },
      { url: '/apis/batch/v1/namespaces/vision/jobs/train-b', auth: 'Bearer secret-token' },
    ]);

    // Another CA: the connection is refused rather than trusted.
    const untrusted = apiJobReader({ ...config!, ca: rootCertificates[0] });
    await expect(untrusted('train-a')).rejects.toMatchObject({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
  });

  it('is not in a cluster without KUBERNETES_SERVICE_HOST or the service account files', async () => {
    expect(await inClusterConfig({})).toBeNull();
    expect(await inClusterConfig({ KUBERNETES_SERVICE_HOST: '10.0.0.1' }, '/nonexistent/serviceaccount')).toBeNull();
  });
});
