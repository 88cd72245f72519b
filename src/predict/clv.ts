import { expectedPurchases, type BgnbdParameters, type PurchaseHistory } from './bgnbd.js';

/** BG/NBD time is in weeks; CLV is summed month by month. */
export const WEEKS_PER_MONTH = 365.25 / 12 / 7;

/**
 * Discounted CLV over `months` (Fader, Hardie & Lee 2005's DET, summed monthly as lifetimes
 * does): for each month i, the expected purchases in it × the expected value of a purchase,
 * discounted by (1 + d)^i. Returns the CLV at each horizon asked for, from one pass.
 */
export function discountedValue(
  bgnbd: BgnbdParameters,
  history: PurchaseHistory,
  spend: number,
  monthlyDiscountRate: number,
  horizons: readonly number[],
): number[] {
  const last = Math.max(...horizons);
  const out: number[] = [];
  let value = 0;
  let before = 0;
  for (let i = 1; i <= last; i++) {
    const upTo = expectedPurchases(bgnbd, history, i * WEEKS_PER_MONTH);
    value += ((upTo - before) * spend) / Math.pow(1 + monthlyDiscountRate, i);
    before = upTo;
    if (horizons.includes(i)) out.push(value);
  }
  return out;
}
