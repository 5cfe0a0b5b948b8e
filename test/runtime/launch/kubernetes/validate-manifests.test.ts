import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { formatManifestProblems, validateManifests } from '../../../../runtime/launch/kubernetes/validate-manifests.js';

/** A golden manifest stream parsed back into objects: what `kubectl apply -f` would send. */
function golden(name: string): Record<string, any>[] {
  return parseAllDocuments(readFileSync(`test/runtime/launch/kubernetes/golden/${name}.yaml`, 'utf8')).map((d) => d.toJS());
}

describe('validateManifests (the Kubernetes OpenAPI schemas, through kubernetes-models)', () => {
  it('accepts the golden manifests', () => {
    for (const name of ['quickstart-data-claim', 'quickstart-gpu-one-claim', 'transfer-weights-job-wide-retries']) {
      expect(validateManifests(golden(name))).toEqual([]);
    }
  });

  it('names the document, object and path of each broken field', () => {
    const docs = golden('quickstart-data-claim');
    docs[3].spec.completions = '4'; // a string where the API wants an integer
    docs[3].spec.template.spec.containers[0].resources.limits.memory = '8 GB'; // not a quantity
    docs[4].spec.template.spec.restartPolicy = 'Sometimes'; // not in the enum
    delete docs[2].roleRef.name; // required
    const problems = validateManifests(docs);
    expect(problems.map((p) => [p.document, p.object, p.path, p.message])).toEqual([
      [2, 'RoleBinding/sweepspec-quickstart-20261202t103000z-7f3a-report', '/roleRef', "must have required property name"],
      [3, 'Job/sweepspec-quickstart-20261202t103000z-7f3a', '/spec/completions', 'must be integer'],
      [
        3,
        'Job/sweepspec-quickstart-20261202t103000z-7f3a',
        '/spec/template/spec/containers/0/resources/limits/memory',
        'must be number; must match format "quantity"; must match exactly one schema in "oneOf"',
      ],
      [4, 'Job/sweepspec-quickstart-20261202t103000z-7f3a-report', '/spec/template/spec/restartPolicy', 'must be equal to one of the allowed values'],
    ]);
    expect(formatManifestProblems(problems.slice(1, 2))).toBe('document 4 (Job/sweepspec-quickstart-20261202t103000z-7f3a) /spec/completions: must be integer');
  });

  it('refuses an Indexed Job whose pod-failure rule has an unknown action, and a container without an image name type', () => {
    const docs = golden('quickstart-gpu-one-claim');
    docs[3].spec.podFailurePolicy.rules[1].action = 'Retry';
    docs[3].spec.template.spec.containers[0].args = 'task';
    const problems = validateManifests(docs);
    expect(problems.map((p) => p.path)).toEqual(['/spec/podFailurePolicy/rules/1/action', '/spec/template/spec/containers/0/args']);
  });

  it('reports a kind it has no schema for', () => {
    expect(validateManifests([{ apiVersion: 'batch/v2', kind: 'Job', metadata: { name: 'x' } }])).toEqual([
      { code: 'K8S_UNKNOWN_KIND', document: 0, object: 'Job/x', path: '', message: 'no schema for apiVersion batch/v2 kind Job' },
    ]);
  });
});
