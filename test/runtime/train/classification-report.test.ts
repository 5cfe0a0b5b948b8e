import { describe, expect, it } from 'vitest';
import { classificationReport, confusionMatrix } from '../../../runtime/train/classification-report.js';
import { expectClose, readFixture } from './support.js';

interface SklearnScores {
  precision: number;
  recall: number;
  'f1-score': number;
  support: number;
}
interface Fixture {
  classes: string[];
  cases: { y_true: number[]; y_pred: number[]; confusion: number[][]; report: Record<string, SklearnScores | number> }[];
}
const fixture = readFixture<Fixture>('classification-report.json');

const scores = (s: SklearnScores): number[] => [s.precision, s.recall, s['f1-score'], s.support];

describe('classificationReport equals sklearn classification_report(labels=all, zero_division=0)', () => {
  fixture.cases.forEach((testCase, index) => {
    it(`case ${index + 1}`, () => {
      const confusion = confusionMatrix(testCase.y_true, testCase.y_pred, fixture.classes.length);
      expect(confusion).toEqual(testCase.confusion);
      const report = classificationReport(confusion, fixture.classes);
      report.per_class.forEach((actual, c) => {
        const expected = testCase.report[fixture.classes[c]] as SklearnScores;
        expectClose([actual.precision, actual.recall, actual.f1, actual.support], scores(expected), 1e-12, 0, fixture.classes[c]);
      });
      const m = report.macro_avg;
      const w = report.weighted_avg;
      expectClose([m.precision, m.recall, m.f1, m.support], scores(testCase.report['macro avg'] as SklearnScores), 1e-12, 0, 'macro');
      expectClose([w.precision, w.recall, w.f1, w.support], scores(testCase.report['weighted avg'] as SklearnScores), 1e-12, 0, 'weighted');
      // With labels= covering absent classes sklearn prints "micro avg" instead of "accuracy"; they are equal then.
      const accuracy = (testCase.report.accuracy as number | undefined) ?? (testCase.report['micro avg'] as SklearnScores).recall;
      expect(report.accuracy).toBeCloseTo(accuracy, 12);
    });
  });

  it('gives zeros, not NaN, for a class never predicted and a class without support', () => {
    const report = classificationReport(confusionMatrix([0, 0, 1], [0, 0, 0], 3), ['x', 'y', 'z']);
    expect(report.per_class[1]).toEqual({ precision: 0, recall: 0, f1: 0, support: 1 });
    expect(report.per_class[2]).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
  });
});
