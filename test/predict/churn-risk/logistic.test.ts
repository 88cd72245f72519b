import { describe, expect, it } from 'vitest';
import { Design, type Feature } from '../../../src/predict/churn-risk/design.js';
import type { SnapshotRow } from '../../../src/predict/churn-risk/features.js';
import { fitLogistic, predictLogistic } from '../../../src/predict/churn-risk/logistic.js';
import { topReasons } from '../../../src/predict/churn-risk/model.js';

describe('fitLogistic', () => {
  it('finds the maximum-likelihood fit of a binary feature: the log-odds of each group', () => {
    // x = 0: 1 of 4 churned, x = 1: 3 of 4. Unpenalised, the fit reproduces each group's rate:
    // intercept = ln(0.25 / 0.75) = −ln 3, coefficient = ln 3 − (−ln 3) = 2 ln 3.
    const rows = [[0], [0], [0], [0], [1], [1], [1], [1]];
    const labels = [true, false, false, false, true, true, true, false];
    const fit = fitLogistic(rows, labels, { ridge: 0 });
    expect(fit.intercept).toBeCloseTo(-Math.log(3), 8);
    expect(fit.coefficients[0]).toBeCloseTo(2 * Math.log(3), 8);
    expect(predictLogistic(fit, [0])).toBeCloseTo(0.25, 8);
    expect(predictLogistic(fit, [1])).toBeCloseTo(0.75, 8);
  });

  it('stays finite with the ridge penalty when a feature separates the classes', () => {
    const fit = fitLogistic([[-1], [-1], [1], [1]], [false, false, true, true]);
    expect(Number.isFinite(fit.coefficients[0])).toBe(true);
    expect(fit.coefficients[0]).toBeGreaterThan(0);
  });

  it('says so when it cannot converge (no churner: the intercept runs off to −∞)', () => {
    expect(() => fitLogistic([[0], [1]], [false, false], { maxIterations: 5 })).toThrow('fitLogistic: no convergence in 5 Newton steps');
  });

  it('refuses rows and labels of different lengths', () => {
    expect(() => fitLogistic([[0]], [true, false])).toThrow('fitLogistic: 1 rows but 2 labels');
  });
});

describe('topReasons', () => {
  const row = (sessions: number, open: number) => ({ sessions_1m: sessions, open_tickets: open }) as SnapshotRow;
  const features: Feature[] = [
    { key: 'sessions', value: (r) => r.sessions_1m, high: 'many sessions', low: 'few sessions' },
    { key: 'open', value: (r) => r.open_tickets, high: 'open tickets', low: 'no open tickets' },
  ];
  // Means 2 and 1, standard deviations 2 and 1: customer A (0 sessions, 2 open) is z = (−1, +1).
  const design = Design.fit([row(0, 2), row(4, 0)], features);

  it('names the features with the largest positive coefficient × standardised value, largest first', () => {
    // Contributions: −0.5 × −1 = 0.5 (few sessions), 0.8 × 1 = 0.8 (open tickets).
    const fit = { intercept: 0, coefficients: [-0.5, 0.8], iterations: 1 };
    expect(design.vector(row(0, 2))).toEqual([-1, 1]);
    expect(topReasons({ design, fit }, row(0, 2))).toEqual(['open tickets', 'few sessions']);
  });

  it('gives no reason for a feature that lowers the risk', () => {
    // Customer B (4 sessions, none open) is z = (+1, −1): both contributions are negative.
    const fit = { intercept: 0, coefficients: [-0.5, 0.8], iterations: 1 };
    expect(topReasons({ design, fit }, row(4, 0))).toEqual([]);
  });

  it("adds up features that give the same words: plan indicators under the customer's own plan", () => {
    const plan = (name: string) => ({ plan: name }) as SnapshotRow;
    // Plans starter (3 rows, the reference), growth and enterprise (1 each): indicators with means
    // 1/5 and standard deviations 2/5. A starter customer is z = −0.5 on both.
    const planDesign = Design.fit([plan('starter'), plan('starter'), plan('starter'), plan('growth'), plan('enterprise')]);
    const keys = planDesign.features.map((f) => f.key);
    expect(keys.filter((k) => k.startsWith('plan_'))).toEqual(['plan_enterprise', 'plan_growth']);
    const coefficients = planDesign.features.map((f) => (f.key === 'plan_enterprise' ? -0.4 : f.key === 'plan_growth' ? -0.2 : 0));
    // Starter: −0.4 × −0.5 + −0.2 × −0.5 = 0.3 under "on the starter plan". Growth: z = 2 on its own
    // indicator (−0.2 × 2 = −0.4) and −0.5 on enterprise's (0.2), both "on the growth plan": −0.2, no reason.
    const fit = { intercept: 0, coefficients, iterations: 1 };
    expect(topReasons({ design: planDesign, fit }, plan('starter'))).toEqual(['on the starter plan']);
    expect(topReasons({ design: planDesign, fit }, plan('growth'))).toEqual([]);
  });
});
