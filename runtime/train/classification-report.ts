import type { ClassificationReport, ClassScores } from '../results/records.js';

/**
 * sklearn.metrics.classification_report(y_true, y_pred, labels=range(C),
 * zero_division=0) as data: per-class precision, recall, F1 and support; the
 * macro average is the unweighted mean over all classes (empty ones
 * included), the weighted average weighs by support. `confusion[t][p]` counts.
 */
export function classificationReport(confusion: readonly (readonly number[])[], classes: readonly string[]): ClassificationReport {
  const numClasses = classes.length;
  const perClass: ClassScores[] = [];
  let total = 0;
  let correct = 0;
  for (let c = 0; c < numClasses; c++) {
    const truePositives = confusion[c][c];
    let support = 0;
    let predicted = 0;
    for (let k = 0; k < numClasses; k++) {
      support += confusion[c][k];
      predicted += confusion[k][c];
    }
    const precision = safeDivide(truePositives, predicted);
    const recall = safeDivide(truePositives, support);
    const f1 = safeDivide(2 * precision * recall, precision + recall);
    perClass.push({ precision, recall, f1, support });
    total += support;
    correct += truePositives;
  }
  const average = (weight: (scores: ClassScores) => number): ClassScores => {
    const weights = perClass.map(weight);
    const weightSum = weights.reduce((sum, w) => sum + w, 0);
    const mean = (pick: (scores: ClassScores) => number): number =>
      safeDivide(perClass.reduce((sum, scores, i) => sum + pick(scores) * weights[i], 0), weightSum);
    return { precision: mean((s) => s.precision), recall: mean((s) => s.recall), f1: mean((s) => s.f1), support: total };
  };
  return {
    classes: [...classes],
    per_class: perClass,
    accuracy: safeDivide(correct, total),
    macro_avg: average(() => 1),
    weighted_avg: average((scores) => scores.support),
  };
}

/** confusion[true][predicted] counts. */
export function confusionMatrix(trueLabels: ArrayLike<number>, predicted: ArrayLike<number>, numClasses: number): number[][] {
  const matrix = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < trueLabels.length; i++) matrix[trueLabels[i]][predicted[i]] += 1;
  return matrix;
}

function safeDivide(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}
