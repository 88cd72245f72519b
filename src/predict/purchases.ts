import type { Knex } from 'knex';
import { fitBgnbd, groupHistories, probabilityAlive, expectedPurchases, type BgnbdFit } from './bgnbd.js';
import { discountedValue, WEEKS_PER_MONTH } from './clv.js';
import { expectedAverageSpend, fitGammaGamma, frequencySpendCorrelation, type GammaGammaFit } from './gamma-gamma.js';
import type { PredictContext, PredictResult } from './step.js';
import { fitResult, insertColumns, saveFit } from './write.js';

export const PURCHASE_MODEL = 'bgnbd+gamma_gamma';
const DAYS_PER_WEEK = 7;

/** Customers' purchase summaries, columnar. Purchases on one UTC day count as one, as lifetimes does. */
export interface PurchaseSummaries {
  customerId: string[];
  /** Purchase days after the first. */
  x: Int32Array;
  txDays: Int32Array;
  TDays: Int32Array;
  /** Mean value of the repeat purchase days (0 without one). */
  repeatMean: Float64Array;
}

export async function readPurchases(db: Knex, tenantId: string, asOf: Date): Promise<PurchaseSummaries> {
  const { rows } = await db.raw(
    `WITH days AS (
       SELECT customer_id, date_trunc('day', ordered_at AT TIME ZONE 'UTC') AS day, sum(amount) AS amount
       FROM orders WHERE tenant_id = ? AND ordered_at < ? GROUP BY 1, 2
     ), ranked AS (
       SELECT customer_id, day, amount, row_number() OVER (PARTITION BY customer_id ORDER BY day) AS k FROM days
     )
     SELECT customer_id, count(*)::int - 1 AS x,
            extract(day FROM max(day) - min(day))::int AS tx_days,
            extract(day FROM date_trunc('day', ?::timestamptz AT TIME ZONE 'UTC') - min(day))::int AS t_days,
            coalesce(avg(amount) FILTER (WHERE k > 1), 0)::float8 AS repeat_mean
     FROM ranked GROUP BY customer_id ORDER BY customer_id`,
    [tenantId, asOf, asOf],
  );
  const list = rows as { customer_id: string; x: number; tx_days: number; t_days: number; repeat_mean: number }[];
  return {
    customerId: list.map((r) => r.customer_id),
    x: Int32Array.from(list, (r) => r.x),
    txDays: Int32Array.from(list, (r) => r.tx_days),
    TDays: Int32Array.from(list, (r) => r.t_days),
    repeatMean: Float64Array.from(list, (r) => r.repeat_mean),
  };
}

interface GroupScore {
  alive: number;
  purchases12: number;
  /** Discounted purchases over 12 and 36 months: CLV per unit of spend. */
  weight12: number;
  weight36: number;
}

/**
 * BG/NBD + Gamma-Gamma for one tenant: expected purchases in 12 months, P(alive) and 12-month and
 * 3-year discounted CLV per customer with a purchase. The BG/NBD part is scored once per distinct
 * (x, t_x, T), which many customers share.
 */
export async function runPurchaseModels(ctx: PredictContext): Promise<PredictResult[]> {
  const fittedAt = new Date();
  await ctx.db('customer_predictions').where({ tenant_id: ctx.tenantId }).delete();
  for (const model of ['bgnbd', 'gamma_gamma']) await ctx.db('prediction_fits').where({ tenant_id: ctx.tenantId, model }).delete();
  const s = await readPurchases(ctx.db, ctx.tenantId, ctx.asOf);
  const n = s.customerId.length;
  const skip = (reason: string): PredictResult[] => [{ name: 'bgnbd', parameters: {}, diagnostics: {}, rowsWritten: 0, skipped: reason }];
  if (n === 0) return skip('no orders before the as-of date');
  if (!s.x.some((x) => x > 0)) return skip('no customer has bought twice, so repeat buying cannot be fitted');

  const histories = Array.from(s.customerId, (_, i) => ({ x: s.x[i]!, tx: s.txDays[i]! / DAYS_PER_WEEK, T: s.TDays[i]! / DAYS_PER_WEEK }));
  const groups = groupHistories(histories);
  const bgnbd: BgnbdFit = fitBgnbd(groups);

  const spend = [];
  for (let i = 0; i < n; i++) if (s.x[i]! > 0 && s.repeatMean[i]! > 0) spend.push({ x: s.x[i]!, m: s.repeatMean[i]! });
  let gg: GammaGammaFit | undefined;
  let spendProblem: string | undefined;
  if (spend.length === 0) spendProblem = 'no repeat purchase of positive value: no CLV';
  else {
    gg = fitGammaGamma(spend);
    if (gg.model.q <= 1) spendProblem = `Gamma-Gamma q = ${gg.model.q.toFixed(3)} ≤ 1: mean spend is unbounded, no CLV`;
  }

  const scores = new Map<string, GroupScore>();
  const alive = new Float64Array(n);
  const purchases12 = new Float64Array(n);
  const clv12 = new Array<number | null>(n);
  const clv36 = new Array<number | null>(n);
  const spendOf = new Array<number | null>(n);
  const every = Math.max(1, Math.floor(n / 100));
  for (let i = 0; i < n; i++) {
    const h = histories[i]!;
    const key = `${h.x}|${h.tx}|${h.T}`;
    let score = scores.get(key);
    if (!score) {
      const [weight12, weight36] = discountedValue(bgnbd.model, h, 1, ctx.monthlyDiscountRate, [12, 36]);
      score = {
        alive: probabilityAlive(bgnbd.model, h),
        purchases12: expectedPurchases(bgnbd.model, h, 12 * WEEKS_PER_MONTH),
        weight12: weight12!,
        weight36: weight36!,
      };
      scores.set(key, score);
    }
    alive[i] = Math.min(1, Math.max(0, score.alive));
    purchases12[i] = score.purchases12;
    const value = gg && !spendProblem ? expectedAverageSpend(gg.model, { x: h.x, m: s.repeatMean[i]! }) : null;
    spendOf[i] = value;
    clv12[i] = value === null ? null : value * score.weight12;
    clv36[i] = value === null ? null : value * score.weight36;
    if (i % every === 0) ctx.onProgress(i, n, 'scoring customers');
  }
  ctx.onProgress(n, n, 'writing predictions');
  const rows = await insertColumns(ctx.db, 'customer_predictions', [
    { name: 'tenant_id', type: 'text', values: new Array<string>(n).fill(ctx.tenantId) },
    { name: 'customer_id', type: 'text', values: s.customerId },
    { name: 'as_of', type: 'timestamptz', values: new Array<string>(n).fill(ctx.asOf.toISOString()) },
    { name: 'fitted_at', type: 'timestamptz', values: new Array<string>(n).fill(fittedAt.toISOString()) },
    { name: 'model', type: 'text', values: new Array<string>(n).fill(PURCHASE_MODEL) },
    { name: 'repeat_purchases', type: 'int', values: s.x },
    { name: 'expected_purchases_12m', type: 'float8', values: purchases12 },
    { name: 'probability_alive', type: 'float8', values: alive },
    { name: 'expected_average_spend', type: 'float8', values: spendOf },
    { name: 'clv_12m', type: 'float8', values: clv12 },
    { name: 'clv_3y', type: 'float8', values: clv36 },
  ]);

  const results = [
    fitResult('bgnbd', { ...bgnbd.model }, bgnbd.diagnostics, rows, [
      `${groups.x.length.toLocaleString('en-US')} distinct (x, t_x, T) of ${n.toLocaleString('en-US')} customers`,
    ]),
  ];
  results[0]!.diagnostics.distinctHistories = groups.x.length;
  if (gg) {
    const correlation = frequencySpendCorrelation(spend);
    const notes = [`correlation of frequency and mean spend: ${correlation.toFixed(3)} (the model assumes none)`];
    if (spendProblem) notes.push(spendProblem);
    // With q < 2 the spread of customers' mean spend has no finite variance: the population mean
    // that customers without a repeat purchase get rests on a heavy tail.
    else if (gg.model.q < 2) notes.push(`q = ${gg.model.q.toFixed(3)} < 2: the population mean spend is unstable, treat CLV with care`);
    results.push(fitResult('gamma_gamma', { ...gg.model }, gg.diagnostics, spendProblem ? 0 : rows, notes));
  } else results.push({ name: 'gamma_gamma', parameters: {}, diagnostics: {}, rowsWritten: 0, skipped: spendProblem! });
  for (const r of results) if (!r.skipped) await saveFit(ctx.db, ctx.tenantId, ctx.asOf, fittedAt, r);
  return results;
}
