import { z } from 'zod';
import type { CubeQuery } from './cube-query.js';

/**
 * Data a KPI is built on that a tenant may not have at all: a KPI measure's `meta.needs` lists
 * it. Churn, retention, cohort retention and ARPU ÷ churn CLV are built on subscription spans,
 * so a shop with orders only has no value for them, and the report and the panels say
 * "needs subscriptions" there instead of a bare "no data".
 */
export const kpiNeedSchema = z.enum(['subscriptions']);
export type KpiNeed = z.infer<typeof kpiNeedSchema>;

export const kpiNeedText: Record<KpiNeed, string> = { subscriptions: 'needs subscriptions' };

/** Whether the token's tenant has any subscription: customers who ever started one, all time. */
export const subscriptionsQuery = { measures: ['customer_lifecycle.customers_ever_subscribed'] } satisfies CubeQuery;

export function hasSubscriptions(rows: Record<string, unknown>[]): boolean {
  return Number(rows[0]?.['customer_lifecycle.customers_ever_subscribed'] ?? 0) > 0;
}
