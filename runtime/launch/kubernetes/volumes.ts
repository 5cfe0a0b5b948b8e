/**
 * Which volumes the pods mount, and where. Paths are kept identical between
 * the machine that submits and the pods: the results claim is mounted at the
 * absolute path of the results folder `submit` wrote the submission record
 * into, and a data claim at the absolute path of the data root. Then the
 * frozen plan's relative `data.root` resolves from the spec's folder to the
 * same place in a pod as where submit checked it, every path a record notes
 * means the same on both sides, and nothing in the plan is rewritten (a run's
 * id is the hash of its config, data.root as written included).
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { RunConfig } from '../../../compiler/types/run-config.js';

export interface VolumeMountPlan {
  /** Volume name in the pod (a DNS label). */
  readonly name: 'results' | 'data';
  readonly claim: string;
  readonly mountPath: string;
  readonly readOnly: boolean;
}

export interface VolumeRequest {
  /** Absolute results folder on this machine: the root of the results claim. */
  readonly resultsDir: string;
  readonly resultsClaim: string;
  /** --data-pvc: a claim holding the data, mounted read-only. */
  readonly dataClaim?: string;
  /** --data-mount: where the data claim's root is; default: the one data root outside the results folder. */
  readonly dataMount?: string;
  /** Absolute folder of the spec: relative data roots and weights files resolve from it. */
  readonly specDir: string;
  readonly runs: readonly { readonly name: string; readonly config: RunConfig }[];
  /** This machine's ImageNet weights folder (SWEEPSPEC_WEIGHTS or ~/.cache/sweepspec/weights). */
  readonly weightsDir: string;
}

export interface VolumeLayout {
  readonly mounts: readonly VolumeMountPlan[];
  /** SWEEPSPEC_WEIGHTS for the pods, when the weights folder is on a mounted volume. */
  readonly weightsDir: string | null;
  /** Things the user should know that do not stop the submission. */
  readonly notices: readonly string[];
}

export type VolumeResult = { readonly ok: true; readonly layout: VolumeLayout } | { readonly ok: false; readonly message: string };

export function planVolumes(request: VolumeRequest): VolumeResult {
  const results: VolumeMountPlan = { name: 'results', claim: request.resultsClaim, mountPath: request.resultsDir, readOnly: false };
  const needed = neededPaths(request);
  if (request.dataMount !== undefined && request.dataClaim === undefined) {
    return { ok: false, message: '--data-mount says where the --data-pvc claim is mounted: give --data-pvc too' };
  }
  const mounts: VolumeMountPlan[] = [results];
  if (request.dataClaim !== undefined) {
    let mountPath = request.dataMount === undefined ? undefined : resolve(request.specDir, request.dataMount);
    if (mountPath === undefined) {
      const roots = [...new Set(needed.filter((n) => n.kind === 'data root' && !within(results.mountPath, n.path)).map((n) => n.path))];
      if (roots.length !== 1) {
        const found = roots.length === 0 ? 'every data root is inside the results folder' : `the runs use ${roots.length} data roots (${roots.join(', ')})`;
        return { ok: false, message: `--data-pvc needs --data-mount PATH here: ${found}; give the folder the claim's root stands for` };
      }
      mountPath = roots[0];
    }
    if (mountPath === results.mountPath) return { ok: false, message: `--data-mount ${mountPath} is the results folder itself; the results claim is mounted there` };
    mounts.push({ name: 'data', claim: request.dataClaim, mountPath, readOnly: true });
  }
  for (const item of needed) {
    if (!mounts.some((m) => within(m.mountPath, item.path))) {
      return {
        ok: false,
        message:
          `the ${item.kind} of run ${item.run} (${item.path}) is on no volume the pods mount: put it under the results folder ` +
          `${results.mountPath} (the claim ${results.claim}), or give --data-pvc CLAIM with --data-mount for the folder that claim holds`,
      };
    }
  }
  const usesImageNet = request.runs.some((r) => r.config.model.pretrained === 'imagenet');
  const weightsMounted = usesImageNet && mounts.some((m) => within(m.mountPath, request.weightsDir));
  const notices = usesImageNet && !weightsMounted
    ? [`runs use ImageNet weights and ${request.weightsDir} is on no mounted volume: the image must hold them (docs/cluster.md, "The runner image")`]
    : [];
  return { ok: true, layout: { mounts, weightsDir: weightsMounted ? request.weightsDir : null, notices } };
}

interface NeededPath {
  readonly kind: 'data root' | 'weights file';
  readonly path: string;
  readonly run: string;
}

function neededPaths(request: VolumeRequest): NeededPath[] {
  const out: NeededPath[] = [];
  for (const run of request.runs) {
    out.push({ kind: 'data root', path: resolve(request.specDir, run.config.data.root), run: run.name });
    const pretrained = run.config.model.pretrained;
    if (pretrained !== 'none' && pretrained !== 'imagenet') out.push({ kind: 'weights file', path: resolve(request.specDir, pretrained), run: run.name });
  }
  return out;
}

function within(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}
