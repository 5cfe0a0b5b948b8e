import type { DataConfig } from '../../compiler/types/run-config.js';
import { deriveSeed } from '../random.js';
import type { DataCaches } from './data-caches.js';
import { DataError } from './data-error.js';
import { rememberDigests } from './expected-digests.js';
import { sha256 } from './file-digest.js';
import { inspectDataset, type DatasetInspection } from './inspect-dataset.js';
import { splitMembers } from './stratified-split.js';
import type { DatasetSplits, ImageSample } from './types.js';

/**
 * Scans, checks and splits the dataset of one run.
 * - Bad images: `on_bad_image: error` throws BAD_IMAGE naming the first one
 *   (in class then path order); `skip` leaves them out and lists them.
 * - Unusable datasets throw DATASET_INVALID with the first problem's message
 *   (and SYMLINK_ESCAPE / DATASET_NOT_FOUND with their own codes).
 * - `validation: {fraction}` splits the training folder with seed
 *   deriveSeed(seed, 'validation-split') (see stratified-split.ts), so the
 *   split is a pure function of the files and the seed.
 * Every split lists its samples in class then path order.
 */
export async function loadDatasetSplits(options: {
  data: DataConfig;
  /** Absolute path of the data root. */
  root: string;
  seed: number;
  /** Fills the decoded-image cache while checking and remembers checks across runs. */
  caches?: DataCaches | null;
}): Promise<DatasetSplits> {
  const { data } = options;
  const inspection = await inspectDataset({ data, root: options.root, caches: options.caches });
  const bad = inspection.splits.flatMap((split) => split.bad);
  if (bad.length > 0 && data.on_bad_image === 'error') {
    const more = bad.length > 1 ? ` (and ${bad.length - 1} more bad image${bad.length > 2 ? 's' : ''})` : '';
    throw new DataError('BAD_IMAGE', `${bad[0].file}: ${bad[0].reason}${more}; set data.on_bad_image: skip to leave bad images out`, {
      file: bad[0].file,
    });
  }
  throwOnProblems(inspection);
  const split = (name: string) => inspection.splits.find((s) => s.split === name)?.samples ?? null;
  const trainFolder = split('train')!;
  let train: ImageSample[];
  let validation: ImageSample[];
  if ('dir' in data.validation) {
    train = [...trainFolder];
    validation = [...split('validation')!];
  } else {
    const byClass = inspection.classes.map((_, c) => trainFolder.filter((s) => s.label === c));
    ({ train, validation } = splitMembers(byClass, data.validation.fraction, data.validation.stratify, deriveSeed(options.seed, 'validation-split')));
    train.sort(bySampleOrder(trainFolder));
    validation.sort(bySampleOrder(trainFolder));
  }
  const test = data.test === null ? null : split('test');
  for (const samples of [train, validation, test]) if (samples) rememberDigests(samples, inspection.digests);
  return {
    root: options.root,
    classes: inspection.classes,
    train,
    validation,
    test,
    fingerprint: fingerprint(inspection, { train, validation, test }),
    skipped: bad,
  };
}

function throwOnProblems(inspection: DatasetInspection): void {
  const [first, ...rest] = inspection.problems;
  if (!first) return;
  const code = first.code === 'SYMLINK_ESCAPE' ? 'SYMLINK_ESCAPE' : first.code === 'SPLIT_NOT_FOUND' ? 'DATASET_NOT_FOUND' : 'DATASET_INVALID';
  const more = rest.length > 0 ? ` (and ${rest.length} more problem${rest.length > 1 ? 's' : ''}; run sweepspec data SPEC)` : '';
  throw new DataError(code, `${first.message}${more}`, { file: first.file });
}

function bySampleOrder(order: readonly ImageSample[]): (a: ImageSample, b: ImageSample) => number {
  const position = new Map(order.map((sample, i) => [sample.file, i]));
  return (a, b) => position.get(a.file)! - position.get(b.file)!;
}

function fingerprint(
  inspection: DatasetInspection,
  splits: Record<'train' | 'validation', readonly ImageSample[]> & { test: readonly ImageSample[] | null },
): string {
  const rows = (samples: readonly ImageSample[] | null) =>
    samples?.map((s) => [s.file, s.label, inspection.digests.get(s.file)]) ?? null;
  const canonical = JSON.stringify({
    classes: inspection.classes,
    train: rows(splits.train),
    validation: rows(splits.validation),
    test: rows(splits.test),
  });
  return sha256('dataset/v1', canonical);
}
