import { describe, expect, it } from 'vitest';
import { auc, calibration } from '../../../src/predict/churn-risk/metrics.js';

describe('auc', () => {
  it('is the share of churner/non-churner pairs ranked the right way round', () => {
    // Churners 0.35 and 0.8 against non-churners 0.1 and 0.4: 0.35 > 0.1, 0.35 < 0.4, 0.8 > both → 3 of 4 pairs.
    expect(auc([0.1, 0.4, 0.35, 0.8], [false, false, true, true])).toBe(0.75);
  });

  it('counts a tie as half a pair', () => {
    // 0.5 vs 0.5 is a tie (½), 0.5 vs 0.2 is right (1): 1.5 of 2 pairs.
    expect(auc([0.5, 0.5, 0.2], [true, false, false])).toBe(0.75);
  });

  it('is 1 for a perfect ranking, 0 for a reversed one, 0.5 when every score is the same', () => {
    expect(auc([1, 2, 3, 4], [false, false, true, true])).toBe(1);
    expect(auc([4, 3, 2, 1], [false, false, true, true])).toBe(0);
    expect(auc([7, 7, 7], [true, false, false])).toBe(0.5);
  });

  it('is null when only one class is present', () => {
    expect(auc([0.2, 0.3], [false, false])).toBeNull();
    expect(auc([], [])).toBeNull();
  });

  it('refuses scores and labels of different lengths, saying so', () => {
    expect(() => auc([0.1, 0.2], [true])).toThrow('auc: 2 scores but 1 labels');
  });
});

describe('calibration', () => {
  it('cuts the rows sorted by prediction into groups and compares mean prediction with observed churn', () => {
    // Two bins of 5 rows: rows 0–1 (0.1, 0.2: none churned) and rows 2–4 (0.3, 0.4, 0.5: two churned).
    const bins = calibration([0.3, 0.1, 0.5, 0.2, 0.4], [true, false, true, false, false], 2);
    expect(bins).toHaveLength(2);
    expect(bins[0]).toEqual({ predicted: expect.closeTo(0.15, 12), observed: 0, n: 2 });
    expect(bins[1]).toEqual({ predicted: expect.closeTo(0.4, 12), observed: 2 / 3, n: 3 });
  });

  it('makes deciles by default, leaving out empty ones when there are fewer than ten rows', () => {
    const predicted = [0.05, 0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95];
    const bins = calibration(
      predicted,
      predicted.map((p) => p > 0.5),
    );
    expect(bins.map((b) => b.n)).toEqual(Array(10).fill(1));
    expect(bins.map((b) => b.observed)).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
    expect(calibration([0.2, 0.8], [false, true]).map((b) => b.n)).toEqual([1, 1]);
  });

  it('refuses predictions and labels of different lengths, saying so', () => {
    expect(() => calibration([0.1], [true, false])).toThrow('calibration: 1 predictions but 2 labels');
  });
});
