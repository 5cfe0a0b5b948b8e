import { describe, expect, it } from 'vitest';
import { activeIndexes, parseIndexes } from '../../../../runtime/launch/kubernetes/job-state.js';

describe('parseIndexes', () => {
  it("reads the API's compressed index lists", () => {
    expect([...parseIndexes('0-2,5,7-8')]).toEqual([0, 1, 2, 5, 7, 8]);
    expect([...parseIndexes('')]).toEqual([]);
    expect([...parseIndexes(undefined)]).toEqual([]);
  });
});

describe('activeIndexes', () => {
  it('is every index neither completed nor failed while the Job runs', () => {
    expect(activeIndexes({ status: { completedIndexes: '0,2', failedIndexes: '3' } }, 6)).toEqual([1, 4, 5]);
    expect(activeIndexes({}, 2)).toEqual([0, 1]);
  });

  it('is none once the Job has finished or is gone', () => {
    expect(activeIndexes({ status: { completedIndexes: '0', conditions: [{ type: 'Failed', status: 'True' }] } }, 3)).toEqual([]);
    expect(activeIndexes({ status: { conditions: [{ type: 'Complete', status: 'True' }] } }, 3)).toEqual([]);
    expect(activeIndexes(null, 3)).toEqual([]);
  });
});
