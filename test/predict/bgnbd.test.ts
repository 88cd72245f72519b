import { describe, expect, it } from 'vitest';
import {
  bgnbdCustomerLogLikelihood,
  bgnbdLogLikelihood,
  expectedPurchases,
  fitBgnbd,
  groupHistories,
  probabilityAlive,
} from '../../src/predict/bgnbd.js';
import { simulateBgnbd } from './simulate.js';

describe('BG/NBD log-likelihood, worked by hand', () => {
  // r = α = a = b = 1 makes every gamma function a factorial.
  const ones = { r: 1, alpha: 1, a: 1, b: 1 };

  it('x = 0, T = 1: A1 = 1, A2 = 1, A3 = (1/(1+1))^1, so L = 1/2', () => {
    expect(bgnbdCustomerLogLikelihood(ones, { x: 0, tx: 0, T: 1 })).toBeCloseTo(Math.log(1 / 2), 12);
  });

  it('x = 1, t_x = 1, T = 2: A1 = 1, A2 = Γ(2)Γ(2)/(Γ(1)Γ(3)) = 1/2, A3 = (1/3)^2, A4 = (1/2)^2, so L = 1/2 × (1/9 + 1/4) = 13/72', () => {
    expect(bgnbdCustomerLogLikelihood(ones, { x: 1, tx: 1, T: 2 })).toBeCloseTo(Math.log(13 / 72), 12);
  });

  it('r=2, α=3, a=2, b=3, x=2, t_x=4, T=6: A1 = Γ(4)/Γ(2)·3² = 54, A2 = Γ(5)Γ(5)/(Γ(3)Γ(7)) = 0.4, A3 = 9⁻⁴, A4 = (2/4)·7⁻⁴', () => {
    const expected = Math.log(54 * 0.4 * (1 / 6561 + 0.5 / 2401));
    expect(bgnbdCustomerLogLikelihood({ r: 2, alpha: 3, a: 2, b: 3 }, { x: 2, tx: 4, T: 6 })).toBeCloseTo(expected, 12);
  });

  it('sums the three customers, grouped, with a repeated customer counted twice', () => {
    const customers = [
      { x: 0, tx: 0, T: 1 },
      { x: 1, tx: 1, T: 2 },
      { x: 1, tx: 1, T: 2 },
    ];
    expect(bgnbdLogLikelihood(ones, groupHistories(customers))).toBeCloseTo(Math.log(1 / 2) + 2 * Math.log(13 / 72), 12);
    expect(groupHistories(customers).x.length).toBe(2);
  });
});

describe('BG/NBD predictions, worked by hand', () => {
  it('P(alive) = 1 / (1 + a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)): 1/(1 + 1·(3/2)²) = 4/13 at ones, x=1, t_x=1, T=2', () => {
    expect(probabilityAlive({ r: 1, alpha: 1, a: 1, b: 1 }, { x: 1, tx: 1, T: 2 })).toBeCloseTo(4 / 13, 12);
    expect(probabilityAlive({ r: 1, alpha: 1, a: 1, b: 1 }, { x: 0, tx: 0, T: 2 })).toBe(1);
  });

  it('expected purchases grow with the horizon and are none over no time', () => {
    const params = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
    const h = { x: 2, tx: 30.43, T: 38.86 };
    expect(expectedPurchases(params, h, 0)).toBe(0);
    const a = expectedPurchases(params, h, 39);
    const b = expectedPurchases(params, h, 78);
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(a);
  });

  it('matches Fader, Hardie & Lee (2005) for their CDNOW customer: x=2, t_x=30.43, T=38.86, 39 weeks ahead → 1.226', () => {
    // The paper's worked example (section 4) with its CDNOW estimates.
    expect(expectedPurchases({ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }, { x: 2, tx: 30.43, T: 38.86 }, 39)).toBeCloseTo(1.226, 2);
  });
});

// Tolerances: 8 seeds at 5,000 customers each spread r and α by a relative s.d. of about 5% and
// a and b by about 9%; at 20,000 customers that halves (√4), and the bounds are about 4 of those
// s.d.: 10% for r and α, 20% for a and b, which are known to be the least well identified.
describe('BG/NBD parameter recovery (20,000 simulated customers per set)', () => {
  const sets = [
    { r: 0.25, alpha: 4, a: 0.8, b: 2.5 },
    { r: 1.5, alpha: 10, a: 1.5, b: 6 },
    { r: 0.6, alpha: 2, a: 0.4, b: 1.2 },
  ];
  it.each(sets)('recovers r=$r, α=$alpha, a=$a, b=$b', (truth) => {
    const fit = fitBgnbd(groupHistories(simulateBgnbd(truth, 20_000, 7)));
    expect(fit.diagnostics.converged).toBe(true);
    expect(Math.abs(fit.model.r / truth.r - 1)).toBeLessThan(0.1);
    expect(Math.abs(fit.model.alpha / truth.alpha - 1)).toBeLessThan(0.1);
    expect(Math.abs(fit.model.a / truth.a - 1)).toBeLessThan(0.2);
    expect(Math.abs(fit.model.b / truth.b - 1)).toBeLessThan(0.2);
  });

  it('fits better at the truth than at parameters far from it', () => {
    const truth = sets[0]!;
    const groups = groupHistories(simulateBgnbd(truth, 5_000, 3));
    const fit = fitBgnbd(groups);
    expect(fit.diagnostics.logLikelihood).toBeGreaterThanOrEqual(bgnbdLogLikelihood(truth, groups));
    expect(bgnbdLogLikelihood(truth, groups)).toBeGreaterThan(bgnbdLogLikelihood({ r: 2, alpha: 1, a: 3, b: 1 }, groups));
  });

  it('says so when there is no customer', () => {
    expect(() => fitBgnbd(groupHistories([]))).toThrow(/at least one customer/);
  });
});
