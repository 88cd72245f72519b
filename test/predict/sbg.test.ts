import { describe, expect, it } from 'vitest';
import { churnProbability, expectedRemainingPeriods, fitSbg, sbgLogLikelihood, survival } from '../../src/predict/sbg.js';
import { simulateCohorts } from './simulate.js';

describe('sBG, worked by hand', () => {
  // α = β = 1: S(t) = B(1, 1+t)/B(1, 1) = 1/(1+t) and P(T = t) = B(2, t)/B(1, 1) = 1/(t(t+1)).
  const flat = { alpha: 1, beta: 1 };

  it('S(t) = 1/(1+t) and P(T=t) = 1/(t(t+1))', () => {
    expect(survival(flat, 0)).toBeCloseTo(1, 12);
    expect(survival(flat, 3)).toBeCloseTo(1 / 4, 12);
    expect(churnProbability(flat, 1)).toBeCloseTo(1 / 2, 12);
    expect(churnProbability(flat, 2)).toBeCloseTo(1 / 6, 12);
  });

  it('survivors 10, 6, 4: 4 lost at 1 (1/2 each), 2 lost at 2 (1/6 each), 4 still there (1/3 each)', () => {
    const expected = 4 * Math.log(1 / 2) + 2 * Math.log(1 / 6) + 4 * Math.log(1 / 3);
    expect(sbgLogLikelihood(flat, [{ survivors: [10, 6, 4] }])).toBeCloseTo(expected, 12);
  });

  it('two cohorts add up: [10, 6, 4] and [5, 5] (nobody lost yet: 5 × ln S(1) = 5 ln 1/2)', () => {
    const expected = 4 * Math.log(1 / 2) + 2 * Math.log(1 / 6) + 4 * Math.log(1 / 3) + 5 * Math.log(1 / 2);
    expect(sbgLogLikelihood(flat, [{ survivors: [10, 6, 4] }, { survivors: [5, 5] }])).toBeCloseTo(expected, 12);
  });

  it('expected remaining periods: (β+n)/(α−1) undiscounted; the discounted sum Σ S(n+k)/S(n)/(1+d)^k', () => {
    const params = { alpha: 2, beta: 3 };
    expect(expectedRemainingPeriods(params, 4, 0)).toBeCloseTo(7, 12);
    expect(expectedRemainingPeriods(flat, 4, 0)).toBe(Number.POSITIVE_INFINITY);
    let sum = 0;
    for (let k = 1; k < 5000; k++) sum += survival(params, 4 + k) / survival(params, 4) / 1.01 ** k;
    expect(expectedRemainingPeriods(params, 4, 0.01)).toBeCloseTo(sum, 6);
  });

  it('refuses a cohort whose survivors grow', () => {
    expect(() => fitSbg([{ survivors: [10, 12] }])).toThrow(/Cohort 0: survivors grow from 10 to 12 at period 1/);
    expect(() => fitSbg([{ survivors: [10] }])).toThrow(/at least one cohort observed for one period/);
  });
});

describe('sBG fits', () => {
  it("gives Fader & Hardie (2007)'s estimates for their 'regular' customers: α = 0.704, β = 1.182", () => {
    const fit = fitSbg([{ survivors: [1000, 631, 468, 382, 326, 289, 262, 241] }]);
    expect(fit.model.alpha).toBeCloseTo(0.704, 2);
    expect(fit.model.beta).toBeCloseTo(1.182, 2);
  });

  // Tolerances: 8 seeds at 6,000 customers spread α and β by a relative s.d. of about 4% for
  // (0.7, 1.2) and 15% for (3, 12), where churn is nearly the same for everybody and heterogeneity
  // is hard to see in 12 months; at 24,000 customers those halve, and the bounds are about 4 s.d.
  it.each([
    { alpha: 0.7, beta: 1.2, tolerance: 0.1 },
    { alpha: 1.5, beta: 4, tolerance: 0.15 },
    { alpha: 3, beta: 12, tolerance: 0.3 },
  ])('recovers α=$alpha, β=$beta within $tolerance', ({ tolerance, ...truth }) => {
    const cohorts = simulateCohorts(truth, 2_000, [12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1], 5);
    const fit = fitSbg(cohorts);
    expect(fit.diagnostics.converged).toBe(true);
    expect(Math.abs(fit.model.alpha / truth.alpha - 1)).toBeLessThan(tolerance);
    expect(Math.abs(fit.model.beta / truth.beta - 1)).toBeLessThan(tolerance);
  });
});
