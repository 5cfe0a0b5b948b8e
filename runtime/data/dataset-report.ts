import type { DataConfig } from '../../compiler/types/run-config.js';
import { deriveSeed } from '../random.js';
import type { DatasetInspection, DatasetProblem, SizeRange } from './inspect-dataset.js';
import type { IgnoredEntry } from './scan-image-folder.js';
import { splitMembers } from './stratified-split.js';
import type { SkippedImage } from './types.js';

export interface DatasetReportSplit {
  readonly split: 'train' | 'validation' | 'test';
  /** The folder the split's images come from. */
  readonly dir: string;
  readonly counts: readonly number[];
  readonly total: number;
  readonly sizes: SizeRange | null;
}

/** What `sweepspec data` shows: plain data, computed from an inspection. */
export interface DatasetReport {
  readonly root: string;
  readonly classes: readonly string[];
  readonly splits: readonly DatasetReportSplit[];
  readonly bad: readonly SkippedImage[];
  readonly onBadImage: DataConfig['on_bad_image'];
  readonly validation: DataConfig['validation'];
  readonly ignored: readonly IgnoredEntry[];
  /** Empty when the dataset can be used. */
  readonly problems: readonly DatasetProblem[];
}

/**
 * Per split and class image counts as a run with `seed` would use them
 * (a `validation: {fraction}` split applied to the training folder), bad
 * files with reasons, and the problems that make the dataset unusable
 * (bad images count as one under `on_bad_image: error`).
 */
export function datasetReport(inspection: DatasetInspection, data: DataConfig, seed: number): DatasetReport {
  const bad = inspection.splits.flatMap((s) => s.bad);
  const problems = [...inspection.problems];
  if (bad.length > 0 && data.on_bad_image === 'error') {
    problems.unshift({
      code: 'BAD_IMAGES',
      message: `${bad.length} image${bad.length > 1 ? 's' : ''} cannot be decoded (listed above); set data.on_bad_image: skip to leave them out`,
      file: bad[0].file,
    });
  }
  const splits: DatasetReportSplit[] = [];
  const tally = (samples: readonly { label: number }[]) => inspection.classes.map((_, c) => samples.filter((s) => s.label === c).length);
  for (const folder of inspection.splits) {
    if (folder.split === 'train' && 'fraction' in data.validation && inspection.problems.length === 0) {
      const byClass = inspection.classes.map((_, c) => folder.samples.filter((s) => s.label === c));
      const { train, validation } = splitMembers(byClass, data.validation.fraction, data.validation.stratify, deriveSeed(seed, 'validation-split'));
      splits.push({ split: 'train', dir: folder.dir, counts: tally(train), total: train.length, sizes: folder.sizes });
      splits.push({ split: 'validation', dir: folder.dir, counts: tally(validation), total: validation.length, sizes: folder.sizes });
    } else {
      splits.push({ split: folder.split, dir: folder.dir, counts: folder.counts, total: folder.samples.length, sizes: folder.sizes });
    }
  }
  return {
    root: inspection.root,
    classes: inspection.classes,
    splits,
    bad,
    onBadImage: data.on_bad_image,
    validation: data.validation,
    ignored: inspection.splits.flatMap((s) => s.ignored),
    problems,
  };
}
