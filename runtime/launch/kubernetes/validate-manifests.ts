/**
 * Checks generated manifests against the Kubernetes API's OpenAPI schemas,
 * through the validators kubernetes-models generates from them (Kubernetes
 * 1.33 in kubernetes-models 4.5): types, required fields, enums and formats
 * such as resource quantities. Those schemas allow unknown fields, which the
 * builder's TypeScript types (the same package's) rule out at compile time.
 */
import { Job } from 'kubernetes-models/batch/v1';
import { Role, RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { ServiceAccount } from 'kubernetes-models/v1';

export interface ManifestProblem {
  readonly code: 'K8S_SCHEMA' | 'K8S_UNKNOWN_KIND';
  /** 0-based position of the document in the stream. */
  readonly document: number;
  /** `Kind/name`. */
  readonly object: string;
  /** JSON pointer into the object ('' for the object itself). */
  readonly path: string;
  readonly message: string;
}

interface Validatable {
  validate(): void;
}

const MODELS: Record<string, (data: never) => Validatable> = {
  'v1/ServiceAccount': (data) => new ServiceAccount(data),
  'rbac.authorization.k8s.io/v1/Role': (data) => new Role(data),
  'rbac.authorization.k8s.io/v1/RoleBinding': (data) => new RoleBinding(data),
  'batch/v1/Job': (data) => new Job(data),
};

interface SchemaError {
  readonly instancePath: string;
  readonly message?: string;
}

export function validateManifests(manifests: readonly unknown[]): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  manifests.forEach((manifest, document) => {
    const object = manifest as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown } };
    const label = `${String(object.kind)}/${String(object.metadata?.name)}`;
    const make = MODELS[`${String(object.apiVersion)}/${String(object.kind)}`];
    if (!make) {
      problems.push({ code: 'K8S_UNKNOWN_KIND', document, object: label, path: '', message: `no schema for apiVersion ${String(object.apiVersion)} kind ${String(object.kind)}` });
      return;
    }
    try {
      make(manifest as never).validate();
    } catch (error) {
      const errors = (error as { errors?: readonly SchemaError[] }).errors;
      if (!errors) throw error;
      for (const e of collapse(errors)) problems.push({ code: 'K8S_SCHEMA', document, object: label, path: e.instancePath, message: e.message });
    }
  });
  return problems;
}

/** One line per path: a quantity that fails `oneOf` [number, string] reports three errors for one mistake. */
function collapse(errors: readonly SchemaError[]): { instancePath: string; message: string }[] {
  const byPath = new Map<string, string[]>();
  for (const e of errors) {
    const list = byPath.get(e.instancePath) ?? [];
    const message = e.message ?? 'is invalid';
    if (!list.includes(message)) list.push(message);
    byPath.set(e.instancePath, list);
  }
  return [...byPath].map(([instancePath, messages]) => ({ instancePath, message: messages.join('; ') }));
}

export function formatManifestProblems(problems: readonly ManifestProblem[]): string {
  return problems.map((p) => `document ${p.document + 1} (${p.object}) ${p.path || '/'}: ${p.message}`).join('\n');
}
