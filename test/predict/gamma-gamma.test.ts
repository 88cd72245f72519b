import { describe, expect, it } from 'vitest';
import {
  expectedAverageSpend,
  fitGammaGamma,
  frequencySpendCorrelation,
  gammaGammaCustomerLogLikelihood,
  gammaGammaLogLikelihood,
} from '../../src/predict/gamma-gamma.js';
import { simulateSpend } from './simulate.js';

describe('Gamma-Gamma log-likelihood, worked by hand', () => {
  // L = Γ(px+q)/(Γ(px)Γ(q)) · γ^q · m^(px−1) · x^(px) / (γ + x·m)^(px+q)
  const params = { p: 1, q: 2, gamma: 1 };

  it('x=1, m=1: Γ(3)/(Γ(1)Γ(2)) · 1 · 1 · 1 / 2³ = 1/4', () => {
    expect(gammaGammaCustomerLogLikelihood(params, { x: 1, m: 1 })).toBeCloseTo(Math.log(1 / 4), 12);
  });

  it('x=2, m=3: Γ(4)/(Γ(2)Γ(2)) · 3¹ · 2² / 7⁴ = 72/2401', () => {
    expect(gammaGammaCustomerLogLikelihood(params, { x: 2, m: 3 })).toBeCloseTo(Math.log(72 / 2401), 12);
  });

  it('sums customers, sharing the gammaln terms of equal x', () => {
    const spend = [
      { x: 1, m: 1 },
      { x: 2, m: 3 },
      { x: 2, m: 3 },
    ];
    expect(gammaGammaLogLikelihood(params, spend)).toBeCloseTo(Math.log(1 / 4) + 2 * Math.log(72 / 2401), 12);
  });

  it('expected spend is p(γ + x·m)/(px + q − 1): 1·(1 + 2·3)/(2 + 1) = 7/3; for x=0 the mean pγ/(q−1) = 1', () => {
    expect(expectedAverageSpend(params, { x: 2, m: 3 })).toBeCloseTo(7 / 3, 12);
    expect(expectedAverageSpend(params, { x: 0, m: 0 })).toBeCloseTo(1, 12);
    expect(expectedAverageSpend({ p: 1, q: 1, gamma: 1 }, { x: 2, m: 3 })).toBe(Number.POSITIVE_INFINITY);
  });

  it('correlation of frequency and spend: perfectly rising pairs give 1', () => {
    expect(
      frequencySpendCorrelation([
        { x: 1, m: 10 },
        { x: 2, m: 20 },
        { x: 3, m: 30 },
      ]),
    ).toBeCloseTo(1, 12);
  });
});

// Tolerances: 8 seeds at 3,000 customers spread p and γ (which trade off against each other) by
// a relative s.d. of about 10% and q by about 4%; at 20,000 that is about 4% and 1.5%, and the
// bounds are about 4 of those: 15% for p and γ, 8% for q.
describe('Gamma-Gamma parameter recovery (20,000 simulated repeat customers per set)', () => {
  it.each([
    { p: 6, q: 4, gamma: 15 },
    { p: 2, q: 10, gamma: 200 },
    { p: 1, q: 3, gamma: 50 },
  ])('recovers p=$p, q=$q, γ=$gamma', (truth) => {
    const spend = simulateSpend(truth, 20_000, 11);
    const fit = fitGammaGamma(spend);
    expect(fit.diagnostics.converged).toBe(true);
    expect(Math.abs(fit.model.p / truth.p - 1)).toBeLessThan(0.15);
    expect(Math.abs(fit.model.q / truth.q - 1)).toBeLessThan(0.08);
    expect(Math.abs(fit.model.gamma / truth.gamma - 1)).toBeLessThan(0.15);
    // Simulated spend is independent of frequency, as the model assumes.
    expect(Math.abs(frequencySpendCorrelation(spend))).toBeLessThan(0.05);
  });

  it('says so when no customer has a repeat purchase of positive value', () => {
    expect(() =>
      fitGammaGamma([
        { x: 0, m: 0 },
        { x: 2, m: 0 },
      ]),
    ).toThrow(/repeat purchase of positive value/);
  });
});
