import gammaln from '@stdlib/math-base-special-gammaln';
import hyp2f1 from '@stdlib/math-base-special-hyp2f1';
import { maximiseLikelihood, type MaximumLikelihoodFit } from './optimise.js';

// BG/NBD (Fader, Hardie & Lee, "Counting your customers the easy way", Marketing Science 24(2),
// 2005): while alive a customer buys as a Poisson process with rate λ ~ Gamma(r, α); after each
// purchase they drop out with probability p ~ Beta(a, b). Time is in weeks here.

/** One customer's repeat-purchase summary: x repeat purchases, the last at t_x, observed for T. */
export interface PurchaseHistory {
  x: number;
  tx: number;
  T: number;
}

export interface BgnbdParameters {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/**
 * Customers grouped by identical (x, t_x, T): the likelihood is evaluated once per group and
 * weighted by its size. gammaln terms depend on x only, so they are computed once per distinct x.
 */
export interface HistoryGroups {
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  count: Float64Array;
  /** Index of each group's x in `distinctX`. */
  xIndex: Uint32Array;
  distinctX: Float64Array;
  customers: number;
}

export function groupHistories(histories: readonly PurchaseHistory[]): HistoryGroups {
  const groupOf = new Map<string, number>();
  const x: number[] = [];
  const tx: number[] = [];
  const T: number[] = [];
  const count: number[] = [];
  for (const h of histories) {
    const key = `${h.x}|${h.tx}|${h.T}`;
    const g = groupOf.get(key);
    if (g === undefined) {
      groupOf.set(key, x.length);
      x.push(h.x);
      tx.push(h.tx);
      T.push(h.T);
      count.push(1);
    } else count[g]! += 1;
  }
  const distinct = [...new Set(x)].sort((p, q) => p - q);
  const indexOfX = new Map(distinct.map((value, i) => [value, i]));
  return {
    x: Float64Array.from(x),
    tx: Float64Array.from(tx),
    T: Float64Array.from(T),
    count: Float64Array.from(count),
    xIndex: Uint32Array.from(x, (value) => indexOfX.get(value)!),
    distinctX: Float64Array.from(distinct),
    customers: histories.length,
  };
}

/** The log-likelihood of one customer (equation 6 of the paper, in logs). */
export function bgnbdCustomerLogLikelihood({ r, alpha, a, b }: BgnbdParameters, { x, tx, T }: PurchaseHistory): number {
  const lnA1 = gammaln(r + x) - gammaln(r) + r * Math.log(alpha);
  const lnA2 = gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x);
  const lnA3 = -(r + x) * Math.log(alpha + T);
  if (x === 0) return lnA1 + lnA2 + lnA3;
  const lnA4 = Math.log(a) - Math.log(b + x - 1) - (r + x) * Math.log(alpha + tx);
  const top = Math.max(lnA3, lnA4);
  return lnA1 + lnA2 + top + Math.log(Math.exp(lnA3 - top) + Math.exp(lnA4 - top));
}

/** The log-likelihood of all customers, summed over groups. */
export function bgnbdLogLikelihood({ r, alpha, a, b }: BgnbdParameters, groups: HistoryGroups): number {
  const k = groups.distinctX.length;
  const byX = new Float64Array(k);
  const lnAlpha = Math.log(alpha);
  const constant = gammaln(a + b) - gammaln(r) - gammaln(b) + r * lnAlpha;
  for (let i = 0; i < k; i++) {
    const x = groups.distinctX[i]!;
    byX[i] = constant + gammaln(r + x) + gammaln(b + x) - gammaln(a + b + x);
  }
  const lnA = Math.log(a);
  let total = 0;
  for (let g = 0; g < groups.x.length; g++) {
    const x = groups.x[g]!;
    const lnA3 = -(r + x) * Math.log(alpha + groups.T[g]!);
    let ll = lnA3;
    if (x > 0) {
      const lnA4 = lnA - Math.log(b + x - 1) - (r + x) * Math.log(alpha + groups.tx[g]!);
      const top = Math.max(lnA3, lnA4);
      ll = top + Math.log(Math.exp(lnA3 - top) + Math.exp(lnA4 - top));
    }
    total += groups.count[g]! * (byX[groups.xIndex[g]!]! + ll);
  }
  return total;
}

export interface BgnbdFit extends MaximumLikelihoodFit {
  model: BgnbdParameters;
}

export function fitBgnbd(groups: HistoryGroups): BgnbdFit {
  if (groups.customers === 0) throw new Error('BG/NBD needs at least one customer with a purchase.');
  let sumT = 0;
  let sumX = 0;
  for (let g = 0; g < groups.x.length; g++) {
    sumT += groups.count[g]! * groups.T[g]!;
    sumX += groups.count[g]! * groups.x[g]!;
  }
  // Start where a gamma of shape 1 matches the mean purchase rate.
  const alpha0 = sumT / Math.max(sumX, 1);
  const fit = maximiseLikelihood(
    ([r, alpha, a, b]) => bgnbdLogLikelihood({ r: r!, alpha: alpha!, a: a!, b: b! }, groups),
    [1, alpha0, 1, 1],
    groups.customers,
  );
  const [r, alpha, a, b] = fit.parameters as [number, number, number, number];
  return { ...fit, model: { r, alpha, a, b } };
}

/** P(alive at T | x, t_x, T) (equation 11 of Fader, Hardie & Lee 2005). */
export function probabilityAlive({ r, alpha, a, b }: BgnbdParameters, { x, tx, T }: PurchaseHistory): number {
  if (x === 0) return 1;
  return 1 / (1 + (a / (b + x - 1)) * Math.pow((alpha + T) / (alpha + tx), r + x));
}

/** E[purchases in (T, T + t] | x, t_x, T] (equation 10 of the paper); needs Gauss's 2F1. */
export function expectedPurchases(params: BgnbdParameters, history: PurchaseHistory, t: number): number {
  const { r, alpha, a, b } = params;
  const { x, T } = history;
  if (t === 0) return 0;
  const ratio = Math.pow((alpha + T) / (alpha + T + t), r + x);
  const f = hyp2f1(r + x, b + x, a + b + x - 1, t / (alpha + T + t));
  const alive = probabilityAlive(params, history);
  return ((a + b + x - 1) / (a - 1)) * (1 - ratio * f) * alive;
}
