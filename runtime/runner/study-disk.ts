import { treeBytes, formatBytes } from '../results/disk-usage.js';
import type { SpecPaths } from '../results/run-paths.js';
import { planPrune, type PrunePlan } from './prune-study.js';

/** The disk lines of `sweepspec status`: what the study uses and what `prune` would free. */
export interface StudyDisk {
  readonly path: string;
  readonly totalBytes: number;
  readonly runsBytes: number;
  readonly frozenBytes: number;
  readonly cacheBytes: number;
  /** What `sweepspec prune SPEC` frees: optimizer state and superseded checkpoints of completed runs, unreferenced initial weights. */
  readonly prunableBytes: number;
  /** What `--weights` frees on top: the kept weights of completed runs (and the initial weights only they name). */
  readonly keptWeightsBytes: number;
  /** A runner holds a run: the frozen store and the cache cannot be pruned now. */
  readonly busy: boolean;
}

const total = (plan: PrunePlan) => plan.items.reduce((sum, item) => sum + item.bytes, 0);

export async function studyDisk(spec: SpecPaths): Promise<StudyDisk> {
  const prunable = total(await planPrune(spec));
  const withWeights = total(await planPrune(spec, { weights: true }));
  return {
    path: spec.root,
    totalBytes: await treeBytes(spec.root),
    runsBytes: await treeBytes(spec.runs),
    frozenBytes: await treeBytes(spec.frozen),
    cacheBytes: await treeBytes(spec.cache),
    prunableBytes: prunable,
    keptWeightsBytes: Math.max(0, withWeights - prunable),
    busy: (await planPrune(spec, { cache: true })).busy,
  };
}

export function formatStudyDisk(disk: StudyDisk, specFile: string): string {
  const size = formatBytes;
  const lines = [
    `disk: ${size(disk.totalBytes)} in ${disk.path} (runs ${size(disk.runsBytes)}, initial weights ${size(disk.frozenBytes)}, cache ${size(disk.cacheBytes)})`,
    `  sweepspec prune ${specFile} frees ${size(disk.prunableBytes)} (optimizer state and superseded checkpoints of completed runs, unreferenced initial weights)`,
    `  --weights frees ${size(disk.keptWeightsBytes)} more (the kept weights of completed runs: the report still works, predict does not); --cache frees ${size(disk.cacheBytes)}`,
  ];
  if (disk.busy) lines.push('  a runner holds a run of this study: the initial weights and the cache are left alone until it ends');
  return `${lines.join('\n')}\n`;
}
