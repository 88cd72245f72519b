import { describe, expect, it } from 'vitest';
import { expectedPurchases } from '../../src/predict/bgnbd.js';
import { discountedValue, WEEKS_PER_MONTH } from '../../src/predict/clv.js';

const cdnow = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const customer = { x: 2, tx: 30.43, T: 38.86 };

describe('discounted CLV', () => {
  it('without discounting telescopes to E[purchases in 12 months] × spend', () => {
    const [clv12] = discountedValue(cdnow, customer, 40, 0, [12]);
    expect(clv12).toBeCloseTo(40 * expectedPurchases(cdnow, customer, 12 * WEEKS_PER_MONTH), 10);
  });

  it('month 1 alone is E[purchases in the first month] × spend / (1 + d)', () => {
    const [clv1] = discountedValue(cdnow, customer, 40, 0.01, [1]);
    expect(clv1).toBeCloseTo((40 * expectedPurchases(cdnow, customer, WEEKS_PER_MONTH)) / 1.01, 10);
  });

  it('gives each horizon from one pass: 3 years is worth more than 1, discounting lowers both', () => {
    const [clv12, clv36] = discountedValue(cdnow, customer, 40, 0.01, [12, 36]);
    const [plain12, plain36] = discountedValue(cdnow, customer, 40, 0, [12, 36]);
    expect(clv36!).toBeGreaterThan(clv12!);
    expect(clv12!).toBeLessThan(plain12!);
    expect(clv36!).toBeLessThan(plain36!);
  });
});
