import betaln from '@stdlib/math-base-special-betaln';
import hyp2f1 from '@stdlib/math-base-special-hyp2f1';
import { maximiseLikelihood, type MaximumLikelihoodFit } from './optimise.js';

// Shifted-beta-geometric (Fader & Hardie, "How to project customer retention", Journal of
// Interactive Marketing 21(1), 2007): each customer churns at the end of each period with a
// constant probability θ ~ Beta(α, β). Periods are months here.

/** A cohort's survivors: `survivors[0]` customers at the start, `survivors[t]` still there after t periods. */
export interface Cohort {
  survivors: readonly number[];
}

export interface SbgParameters {
  alpha: number;
  beta: number;
}

/** S(t) = B(α, β + t) / B(α, β): the share still there after t periods. */
export function survival({ alpha, beta }: SbgParameters, t: number): number {
  return Math.exp(betaln(alpha, beta + t) - betaln(alpha, beta));
}

/** P(T = t) = B(α + 1, β + t − 1) / B(α, β): the share lost at the end of period t ≥ 1. */
export function churnProbability({ alpha, beta }: SbgParameters, t: number): number {
  return Math.exp(betaln(alpha + 1, beta + t - 1) - betaln(alpha, beta));
}

function checkCohort(cohort: Cohort, index: number): void {
  const s = cohort.survivors;
  if (s.length === 0) throw new Error(`Cohort ${index}: survivors is empty.`);
  for (let t = 1; t < s.length; t++) {
    if (s[t]! > s[t - 1]!) throw new Error(`Cohort ${index}: survivors grow from ${s[t - 1]} to ${s[t]} at period ${t}.`);
  }
}

/** Lost customers at each period weigh P(T = t); those still there at the end weigh S(n). */
export function sbgLogLikelihood(params: SbgParameters, cohorts: readonly Cohort[]): number {
  const base = betaln(params.alpha, params.beta);
  let total = 0;
  for (const { survivors } of cohorts) {
    for (let t = 1; t < survivors.length; t++) {
      const lost = survivors[t - 1]! - survivors[t]!;
      if (lost > 0) total += lost * (betaln(params.alpha + 1, params.beta + t - 1) - base);
    }
    const n = survivors.length - 1;
    const left = survivors[n]!;
    if (left > 0) total += left * (betaln(params.alpha, params.beta + n) - base);
  }
  return total;
}

export interface SbgFit extends MaximumLikelihoodFit {
  model: SbgParameters;
}

export function fitSbg(cohorts: readonly Cohort[]): SbgFit {
  cohorts.forEach(checkCohort);
  const customers = cohorts.reduce((sum, c) => sum + c.survivors[0]!, 0);
  if (customers === 0 || cohorts.every((c) => c.survivors.length < 2)) {
    throw new Error('sBG needs at least one cohort observed for one period or more.');
  }
  const fit = maximiseLikelihood(([alpha, beta]) => sbgLogLikelihood({ alpha: alpha!, beta: beta! }, cohorts), [1, 1], customers);
  const [alpha, beta] = fit.parameters as [number, number];
  return { ...fit, model: { alpha, beta } };
}

/**
 * Expected further periods of a customer who has stayed n periods, each discounted by
 * (1 + d) per period: Σ_{k≥1} S(n + k)/S(n) / (1 + d)^k = 2F1(1, β + n; α + β + n; 1/(1 + d)) − 1,
 * since S(n + k)/S(n) = (β + n)_k / (α + β + n)_k (Fader & Hardie 2010, Marketing Science 29(1),
 * give the same sum as their DERL). With d = 0 it is (β + n)/(α − 1), infinite for α ≤ 1.
 */
export function expectedRemainingPeriods({ alpha, beta }: SbgParameters, n: number, discountRate: number): number {
  if (discountRate === 0) return alpha > 1 ? (beta + n) / (alpha - 1) : Number.POSITIVE_INFINITY;
  return hyp2f1(1, beta + n, alpha + beta + n, 1 / (1 + discountRate)) - 1;
}
