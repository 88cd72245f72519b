import betaFactory from '@stdlib/random-base-beta';
import gammaFactory from '@stdlib/random-base-gamma';
import mt19937 from '@stdlib/random-base-mt19937';
import type { PurchaseHistory, BgnbdParameters } from '../../src/predict/bgnbd.js';
import type { GammaGammaParameters, SpendHistory } from '../../src/predict/gamma-gamma.js';
import type { Cohort, SbgParameters } from '../../src/predict/sbg.js';

// Draws from the models' own generative stories with seeded generators (stdlib's Mersenne
// Twister), so a recovery test sees the same customers on every run.

function generators(seed: number) {
  const uint32 = mt19937.factory({ seed });
  return {
    uniform: () => uint32() / 2 ** 32,
    gamma: gammaFactory.factory({ seed: seed + 1 }),
    beta: betaFactory.factory({ seed: seed + 2 }),
  };
}

/**
 * BG/NBD customers: λ ~ Gamma(r, rate α), p ~ Beta(a, b); Poisson purchases while alive, a
 * coin of weight p after each repeat purchase. The first purchase is at 0; T is spread evenly
 * over [minT, maxT] weeks (customers acquired at different times), rounded to days.
 */
export function simulateBgnbd(params: BgnbdParameters, customers: number, seed: number, minT = 26, maxT = 104): PurchaseHistory[] {
  const g = generators(seed);
  const day = (weeks: number) => Math.round(weeks * 7) / 7;
  const out: PurchaseHistory[] = [];
  for (let i = 0; i < customers; i++) {
    const lambda = g.gamma(params.r, params.alpha);
    const p = g.beta(params.a, params.b);
    const T = day(minT + (maxT - minT) * g.uniform());
    let t = 0;
    let x = 0;
    let tx = 0;
    for (;;) {
      t += -Math.log(1 - g.uniform()) / lambda;
      if (t > T) break;
      x += 1;
      tx = t;
      if (g.uniform() < p) break;
    }
    out.push({ x, tx: Math.min(day(tx), T), T });
  }
  return out;
}

/** Gamma-Gamma spend: ν ~ Gamma(q, rate γ), each purchase ~ Gamma(p, rate ν); x = 1 + a draw of 0..9. */
export function simulateSpend(params: GammaGammaParameters, customers: number, seed: number): SpendHistory[] {
  const g = generators(seed);
  const out: SpendHistory[] = [];
  for (let i = 0; i < customers; i++) {
    const nu = g.gamma(params.q, params.gamma);
    const x = 1 + Math.floor(10 * g.uniform());
    let sum = 0;
    for (let k = 0; k < x; k++) sum += g.gamma(params.p, nu);
    out.push({ x, m: sum / x });
  }
  return out;
}

/** sBG cohorts: θ ~ Beta(α, β) per customer; cohort k of `size` is observed for periods[k] periods. */
export function simulateCohorts(params: SbgParameters, size: number, periods: readonly number[], seed: number): Cohort[] {
  const g = generators(seed);
  return periods.map((n) => {
    const survivors = new Array<number>(n + 1).fill(0);
    for (let i = 0; i < size; i++) {
      const theta = g.beta(params.alpha, params.beta);
      survivors[0]! += 1;
      for (let t = 1; t <= n; t++) {
        if (g.uniform() < theta) break;
        survivors[t]! += 1;
      }
    }
    return { survivors };
  });
}
