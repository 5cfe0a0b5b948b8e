/**
 * The close look at one run: confusion matrix, classification report, the
 * most-confused class pairs and the misclassified images with their top-3
 * class probabilities (most confident mistakes first).
 */
import type { PlannedRun } from '../../compiler/types/plan.js';
import type { ImagePrediction } from '../results/records.js';
import type { StoredRun } from './read-results.js';
import type { ConfusedPair, GalleryItem, RunDetail } from './report-model.js';

export interface RunDetailOptions {
  readonly bestOf: readonly string[];
  readonly requested: boolean;
  /** Most-confused pairs listed. */
  readonly pairLimit: number;
  /** Misclassified images shown. */
  readonly galleryLimit: number;
}

export function buildRunDetail(planned: PlannedRun, stored: StoredRun | undefined, options: RunDetailOptions): RunDetail {
  const record = stored?.record ?? null;
  const evaluation = stored?.evaluation ?? null;
  const classes = evaluation?.report?.classes ?? record?.classes ?? [];
  const predictions = stored?.predictions ?? [];
  const mistakes = predictions.filter((p) => p.predicted_class !== p.true_class);
  return {
    id: planned.id,
    name: planned.name,
    best_of: options.bestOf,
    requested: options.requested,
    status: record?.status ?? 'pending',
    evaluated_epoch: evaluation?.epoch ?? null,
    split: evaluation?.split ?? null,
    accuracy: evaluation?.accuracy ?? null,
    top3_accuracy: evaluation?.top3_accuracy ?? null,
    loss: evaluation?.loss ?? null,
    classes,
    confusion: evaluation?.confusion ?? null,
    per_class: evaluation
      ? evaluation.report.per_class.map((scores, index) => ({ class_name: className(classes, index), ...scores }))
      : [],
    macro_avg: evaluation?.report.macro_avg ?? null,
    weighted_avg: evaluation?.report.weighted_avg ?? null,
    confused_pairs: evaluation ? confusedPairs(evaluation.confusion, classes, options.pairLimit) : [],
    predictions: predictions.length,
    misclassified_total: mistakes.length,
    gallery: galleryItems(mistakes, classes, options.galleryLimit),
    data_root: record?.dataset?.root ?? null,
  };
}

function className(classes: readonly string[], index: number): string {
  return classes[index] ?? `class ${index}`;
}

/** Off-diagonal cells by count (then by share of the true class), largest first. */
export function confusedPairs(
  confusion: readonly (readonly number[])[],
  classes: readonly string[],
  limit: number,
): ConfusedPair[] {
  const pairs: (ConfusedPair & { t: number; p: number })[] = [];
  confusion.forEach((row, t) => {
    const support = row.reduce((a, b) => a + b, 0);
    row.forEach((count, p) => {
      if (p === t || count <= 0) return;
      pairs.push({ t, p, true_class: className(classes, t), predicted_class: className(classes, p), count, fraction: count / support });
    });
  });
  pairs.sort((a, b) => b.count - a.count || b.fraction - a.fraction || a.t - b.t || a.p - b.p);
  return pairs.slice(0, limit).map(({ t: _t, p: _p, ...pair }) => pair);
}

function galleryItems(mistakes: readonly ImagePrediction[], classes: readonly string[], limit: number): GalleryItem[] {
  const confidence = (p: ImagePrediction) => p.probabilities[p.predicted_class] ?? 0;
  const sorted = [...mistakes].sort(
    (a, b) => confidence(b) - confidence(a) || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0),
  );
  return sorted.slice(0, limit).map((p) => ({
    file: p.file,
    true_class: className(classes, p.true_class),
    predicted_class: className(classes, p.predicted_class),
    top3: p.probabilities
      .map((probability, index) => ({ probability, index }))
      .sort((a, b) => b.probability - a.probability || a.index - b.index)
      .slice(0, 3)
      .map(({ probability, index }) => ({ class_name: className(classes, index), probability, is_true: index === p.true_class })),
  }));
}
