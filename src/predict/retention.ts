import type { Knex } from 'knex';
import { expectedRemainingPeriods, fitSbg, survival } from './sbg.js';
import type { PredictContext, PredictResult } from './step.js';
import { fitResult, insertColumns, saveFit } from './write.js';

/** Months projected past each cohort's last observed age. */
export const FORECAST_MONTHS = 36;

export interface SubscriptionCohort {
  /** First day of the month of the customers' first subscription start, YYYY-MM-DD. */
  month: string;
  /** survivors[0]: the cohort's customers; survivors[N + 1]: still active at the end of age N. */
  survivors: number[];
}

/**
 * Cohorts as schema/cubes/cohort_retention.yml counts them, up to the as-of instant: a customer
 * is active from their first subscription start to their last end; age N means still active at
 * the end of the N-th month after the cohort month, and an age counts once that month has ended.
 * So sBG's first period is the cohort month itself.
 */
export async function readCohorts(db: Knex, tenantId: string, asOf: Date): Promise<SubscriptionCohort[]> {
  // Per cohort month: how many customers stayed exactly m full months (then lost), or are open;
  // and the ages observed by as-of. A customer lost after m full months is active at ages < m.
  const { rows } = await db.raw(
    `WITH spans AS (
       SELECT date_trunc('month', min(started_at) AT TIME ZONE 'UTC') AS cohort_month,
              CASE WHEN bool_and(ended_at IS NOT NULL AND ended_at < :asOf) THEN max(ended_at) AT TIME ZONE 'UTC' END AS ended_at
       FROM subscriptions WHERE tenant_id = :tenantId AND started_at < :asOf GROUP BY customer_id
     ), months AS (
       SELECT cohort_month,
              (extract(year FROM age(ended_at, cohort_month)) * 12 + extract(month FROM age(ended_at, cohort_month)))::int AS stayed
       FROM spans
     )
     SELECT to_char(cohort_month, 'YYYY-MM-DD') AS month, stayed, count(*)::int AS customers,
            (extract(year FROM age(:asOf::timestamptz AT TIME ZONE 'UTC', cohort_month)) * 12
              + extract(month FROM age(:asOf::timestamptz AT TIME ZONE 'UTC', cohort_month)))::int AS observed_ages
     FROM months GROUP BY cohort_month, stayed ORDER BY cohort_month, stayed`,
    { tenantId, asOf },
  );
  const byMonth = new Map<string, { observed: number; stayed: { months: number | null; customers: number }[] }>();
  for (const r of rows as { month: string; stayed: number | null; customers: number; observed_ages: number }[]) {
    const entry = byMonth.get(r.month) ?? { observed: r.observed_ages, stayed: [] };
    entry.stayed.push({ months: r.stayed, customers: r.customers });
    byMonth.set(r.month, entry);
  }
  return [...byMonth].map(([month, { observed, stayed }]) => {
    const survivors = [stayed.reduce((sum, s) => sum + s.customers, 0)];
    for (let age = 0; age < observed; age++) {
      survivors.push(stayed.reduce((sum, s) => sum + (s.months === null || s.months > age ? s.customers : 0), 0));
    }
    return { month, survivors };
  });
}

/**
 * sBG for one tenant's subscription cohorts: one (α, β) fitted on every cohort, then each
 * cohort's curve: the model's S up to its last observed age, and after it the last actual share
 * carried forward by S(t)/S(last), for FORECAST_MONTHS more months.
 */
export async function runRetentionModel(ctx: PredictContext): Promise<PredictResult[]> {
  const fittedAt = new Date();
  await ctx.db('cohort_retention_forecast').where({ tenant_id: ctx.tenantId }).delete();
  await ctx.db('prediction_fits').where({ tenant_id: ctx.tenantId, model: 'sbg' }).delete();
  const cohorts = await readCohorts(ctx.db, ctx.tenantId, ctx.asOf);
  if (!cohorts.some((c) => c.survivors.length > 1)) {
    return [{ name: 'sbg', parameters: {}, diagnostics: {}, rowsWritten: 0, skipped: 'no subscription cohort observed for a full month' }];
  }
  const fit = fitSbg(cohorts);
  const rows = {
    month: [] as string[],
    age: [] as number[],
    size: [] as number[],
    projected: [] as number[],
    actual: [] as (number | null)[],
    remaining: [] as number[],
  };
  cohorts.forEach((cohort, k) => {
    const size = cohort.survivors[0]!;
    const lastAge = cohort.survivors.length - 2;
    for (let age = 0; age <= lastAge + FORECAST_MONTHS; age++) {
      const model = survival(fit.model, age + 1);
      const projected =
        age <= lastAge || lastAge < 0 ? model : (cohort.survivors[lastAge + 1]! / size) * (model / survival(fit.model, lastAge + 1));
      rows.month.push(cohort.month);
      rows.age.push(age);
      rows.size.push(size);
      rows.projected.push(projected);
      rows.actual.push(age <= lastAge ? cohort.survivors[age + 1]! / size : null);
      rows.remaining.push(expectedRemainingPeriods(fit.model, age + 1, ctx.monthlyDiscountRate));
    }
    ctx.onProgress(k + 1, cohorts.length, 'projecting cohorts');
  });
  const n = rows.month.length;
  const written = await insertColumns(ctx.db, 'cohort_retention_forecast', [
    { name: 'tenant_id', type: 'text', values: new Array<string>(n).fill(ctx.tenantId) },
    { name: 'cohort_month', type: 'timestamptz', values: rows.month.map((month) => `${month}T00:00:00Z`) },
    { name: 'months_since_start', type: 'int', values: rows.age },
    { name: 'as_of', type: 'timestamptz', values: new Array<string>(n).fill(ctx.asOf.toISOString()) },
    { name: 'fitted_at', type: 'timestamptz', values: new Array<string>(n).fill(fittedAt.toISOString()) },
    { name: 'cohort_size', type: 'int', values: rows.size },
    { name: 'projected_survival', type: 'float8', values: rows.projected },
    { name: 'actual_survival', type: 'float8', values: rows.actual },
    { name: 'expected_remaining_months', type: 'float8', values: rows.remaining },
  ]);
  const result = fitResult('sbg', { ...fit.model }, fit.diagnostics, written, [
    `${cohorts.length} monthly cohorts; a customer active 12 months in expects ${expectedRemainingPeriods(fit.model, 13, ctx.monthlyDiscountRate).toFixed(1)} more (discounted) months`,
  ]);
  await saveFit(ctx.db, ctx.tenantId, ctx.asOf, fittedAt, result);
  return [result];
}
