import { join } from 'node:path';
import type { SearchPoint } from '../../compiler/types/search.js';
import type { SpecPaths } from '../results/run-paths.js';

/**
 * One filled slot of a model-based search, written before its run trains:
 * `results/<spec>/search/<experiment>/slot-NNNN.json`. Every runner reads it
 * instead of proposing again, so a resumed, sharded or batch-submitted search
 * continues the same sequence.
 */
export interface ProposalRecord {
  readonly experiment: string;
  /** 0-based over all samples (slots below `startup` are the planned draws and have no file). */
  readonly slot: number;
  readonly run: string;
  readonly name: string;
  readonly point: SearchPoint;
  readonly cells: Readonly<Record<string, string | number | boolean | null>>;
  readonly mode: 'tpe' | 'random';
  /** The runs it was proposed from: l(x) (best), g(x) (the rest), and those still pending among g(x). */
  readonly below: readonly string[];
  readonly above: readonly string[];
  readonly pending: readonly string[];
  readonly proposed_at: string;
  /** Hash of the search settings it was proposed under (see searchDigest). */
  readonly search: string;
}

export interface SearchPaths {
  readonly dir: string;
  /** A lease folder (runtime/runner/lease.ts) held while a slot is proposed. */
  readonly lock: string;
  slot(index: number): string;
}

export function searchPaths(spec: Pick<SpecPaths, 'root'>, experiment: string): SearchPaths {
  const dir = join(spec.root, 'search', experiment);
  return { dir, lock: join(dir, 'lock'), slot: (index) => join(dir, `slot-${String(index).padStart(4, '0')}.json`) };
}
