import gammaln from '@stdlib/math-base-special-gammaln';
import { maximiseLikelihood, type MaximumLikelihoodFit } from './optimise.js';

// Gamma-Gamma spend model (Fader, Hardie & Lee, "RFM and CLV: using iso-value curves for customer
// base analysis", Journal of Marketing Research 42(4), 2005; Fader & Hardie's note "The Gamma-Gamma
// model of monetary value", 2013): each transaction's value is Gamma(p, ν) around the customer's
// mean, ν ~ Gamma(q, γ) across customers. Fitted on repeat customers' mean repeat-purchase value.

/** A repeat customer's spend: x repeat purchases of mean value m. */
export interface SpendHistory {
  x: number;
  m: number;
}

export interface GammaGammaParameters {
  p: number;
  q: number;
  gamma: number;
}

export function gammaGammaCustomerLogLikelihood({ p, q, gamma }: GammaGammaParameters, { x, m }: SpendHistory): number {
  const px = p * x;
  return (
    gammaln(px + q) -
    gammaln(px) -
    gammaln(q) +
    q * Math.log(gamma) +
    (px - 1) * Math.log(m) +
    px * Math.log(x) -
    (px + q) * Math.log(gamma + x * m)
  );
}

export function gammaGammaLogLikelihood(params: GammaGammaParameters, spend: readonly SpendHistory[]): number {
  const { p, q, gamma } = params;
  const lnGamma = Math.log(gamma);
  const gammalnQ = gammaln(q);
  // gammaln terms depend on x only: once per distinct x.
  const byX = new Map<number, number>();
  let total = 0;
  for (const { x, m } of spend) {
    let g = byX.get(x);
    if (g === undefined) {
      g = gammaln(p * x + q) - gammaln(p * x) - gammalnQ + p * x * Math.log(x);
      byX.set(x, g);
    }
    total += g + q * lnGamma + (p * x - 1) * Math.log(m) - (p * x + q) * Math.log(gamma + x * m);
  }
  return total;
}

export interface GammaGammaFit extends MaximumLikelihoodFit {
  model: GammaGammaParameters;
}

/** Fits on customers with at least one repeat purchase of positive mean value. */
export function fitGammaGamma(spend: readonly SpendHistory[]): GammaGammaFit {
  const usable = spend.filter((s) => s.x > 0 && s.m > 0);
  if (usable.length === 0) throw new Error('Gamma-Gamma needs at least one customer with a repeat purchase of positive value.');
  const meanM = usable.reduce((sum, s) => sum + s.m, 0) / usable.length;
  // Start at p = 1, q = 2 and the γ that gives the observed mean spend, p·γ/(q − 1).
  const fit = maximiseLikelihood(
    ([p, q, gamma]) => gammaGammaLogLikelihood({ p: p!, q: q!, gamma: gamma! }, usable),
    [1, 2, meanM],
    usable.length,
  );
  const [p, q, gamma] = fit.parameters as [number, number, number];
  return { ...fit, model: { p, q, gamma } };
}

/**
 * E[a customer's mean transaction value | x, m]: a weighted mean of the population mean and the
 * customer's own (equation 5 of the note); the population mean p·γ/(q − 1) for x = 0.
 * Infinite for q ≤ 1, where the population mean does not exist.
 */
export function expectedAverageSpend({ p, q, gamma }: GammaGammaParameters, { x, m }: SpendHistory): number {
  if (q <= 1) return Number.POSITIVE_INFINITY;
  if (x === 0) return (p * gamma) / (q - 1);
  return (p * (gamma + x * m)) / (p * x + q - 1);
}

/** Pearson correlation of frequency and mean spend: the model assumes they are independent. */
export function frequencySpendCorrelation(spend: readonly SpendHistory[]): number {
  const n = spend.length;
  if (n < 2) return Number.NaN;
  let sx = 0;
  let sm = 0;
  for (const s of spend) {
    sx += s.x;
    sm += s.m;
  }
  const mx = sx / n;
  const mm = sm / n;
  let cov = 0;
  let vx = 0;
  let vm = 0;
  for (const s of spend) {
    cov += (s.x - mx) * (s.m - mm);
    vx += (s.x - mx) ** 2;
    vm += (s.m - mm) ** 2;
  }
  return cov / Math.sqrt(vx * vm);
}
