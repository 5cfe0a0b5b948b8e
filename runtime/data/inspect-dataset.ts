import type { DataConfig } from '../../compiler/types/run-config.js';
import { checkImages } from './check-images.js';
import type { DataCaches } from './data-caches.js';
import { DataError } from './data-error.js';
import { scanImageFolder, type IgnoredEntry } from './scan-image-folder.js';
import { splitProblem } from './stratified-split.js';
import type { ImageSample, SkippedImage } from './types.js';

export type SplitName = 'train' | 'validation' | 'test';

export interface SizeRange {
  readonly minWidth: number;
  readonly maxWidth: number;
  readonly minHeight: number;
  readonly maxHeight: number;
}

/** One split folder as found on disk, with labels in the training split's class order. */
export interface SplitInspection {
  readonly split: SplitName;
  readonly dir: string;
  /** Usable (decodable) images, labels indexing the training split's classes. */
  readonly samples: readonly ImageSample[];
  /** Usable images per class (training class order). */
  readonly counts: readonly number[];
  readonly bad: readonly SkippedImage[];
  readonly ignored: readonly IgnoredEntry[];
  readonly sizes: SizeRange | null;
}

export type DatasetProblemCode =
  | 'SPLIT_NOT_FOUND'
  | 'SYMLINK_ESCAPE'
  | 'NO_CLASSES'
  | 'EMPTY_CLASS'
  | 'CLASS_MISSING'
  | 'UNKNOWN_CLASS'
  | 'TOO_FEW_IMAGES'
  /** Only from datasetReport: bad images under `on_bad_image: error`. */
  | 'BAD_IMAGES';

/** Why the dataset cannot be used as configured. */
export interface DatasetProblem {
  readonly code: DatasetProblemCode;
  readonly message: string;
  readonly file?: string;
}

export interface DatasetInspection {
  readonly root: string;
  readonly classes: readonly string[];
  readonly splits: readonly SplitInspection[];
  /** Content digest of every scanned file (usable or bad) by path. */
  readonly digests: ReadonlyMap<string, string>;
  readonly problems: readonly DatasetProblem[];
}

/**
 * Scans every split folder a DataConfig names, decodes every image once, and
 * lists what makes the dataset unusable. Pure of side effects besides reading
 * the files (and filling the caches when given). `loadDatasetSplits` and
 * `sweepspec data` both start here.
 */
export async function inspectDataset(options: { data: DataConfig; root: string; caches?: DataCaches | null }): Promise<DatasetInspection> {
  const { data, root } = options;
  const problems: DatasetProblem[] = [];
  const digests = new Map<string, string>();
  const folders: { split: SplitName; dir: string }[] = [{ split: 'train', dir: data.train }];
  if ('dir' in data.validation) folders.push({ split: 'validation', dir: data.validation.dir });
  if (data.test !== null) folders.push({ split: 'test', dir: data.test });
  let classes: readonly string[] = [];
  const splits: SplitInspection[] = [];
  for (const { split, dir } of folders) {
    let scan;
    try {
      scan = await scanImageFolder({ root, dir });
    } catch (error) {
      if (!(error instanceof DataError) || (error.code !== 'DATASET_NOT_FOUND' && error.code !== 'SYMLINK_ESCAPE')) throw error;
      problems.push({ code: error.code === 'SYMLINK_ESCAPE' ? 'SYMLINK_ESCAPE' : 'SPLIT_NOT_FOUND', message: error.message, file: error.file });
      continue;
    }
    if (split === 'train') {
      classes = scan.classes;
      if (classes.length === 0) problems.push({ code: 'NO_CLASSES', message: `${dir}: no class folders`, file: dir });
    }
    for (const name of scan.classes) {
      if (!classes.includes(name)) {
        problems.push({ code: 'UNKNOWN_CLASS', message: `${dir}/${name}: class not in the training split ${data.train}`, file: `${dir}/${name}` });
      }
    }
    const checked = await checkImages({ root, files: scan.files.map((f) => f.file), imageSize: data.image_size, caches: options.caches ?? null });
    const samples: ImageSample[] = [];
    const bad: SkippedImage[] = [];
    const counts = new Array<number>(classes.length).fill(0);
    let sizes: SizeRange | null = null;
    checked.forEach(({ file, digest, check }, i) => {
      digests.set(file, digest);
      const label = classes.indexOf(scan.classes[scan.files[i].label]);
      if (!check.ok) bad.push({ file, reason: check.reason });
      else if (label >= 0) {
        samples.push({ file, label });
        counts[label] += 1;
        sizes = widen(sizes, check.width, check.height);
      }
    });
    classes.forEach((name, c) => {
      if (counts[c] > 0) return;
      const missing = !scan.classes.includes(name);
      problems.push({
        code: missing && split !== 'train' ? 'CLASS_MISSING' : 'EMPTY_CLASS',
        message: missing ? `${dir}: class ${name} is missing` : `${dir}/${name}: no usable images`,
        file: `${dir}/${name}`,
      });
    });
    splits.push({ split, dir, samples, counts, bad, ignored: scan.ignored, sizes });
  }
  const train = splits.find((s) => s.split === 'train');
  if (train && 'fraction' in data.validation && !problems.some((p) => p.code === 'NO_CLASSES' || p.code === 'EMPTY_CLASS')) {
    const why = splitProblem(train.counts, data.validation.fraction, data.validation.stratify);
    if (why) problems.push({ code: 'TOO_FEW_IMAGES', message: `${data.train}: ${why}`, file: data.train });
  }
  return { root, classes, splits, digests, problems };
}

function widen(range: SizeRange | null, width: number, height: number): SizeRange {
  if (!range) return { minWidth: width, maxWidth: width, minHeight: height, maxHeight: height };
  return {
    minWidth: Math.min(range.minWidth, width),
    maxWidth: Math.max(range.maxWidth, width),
    minHeight: Math.min(range.minHeight, height),
    maxHeight: Math.max(range.maxHeight, height),
  };
}
