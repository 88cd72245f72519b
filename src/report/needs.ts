import type { CubeClient } from '../cube/client.js';

/**
 * KPIs built on customer spans, which only subscriptions give. A tenant without any (a shop)
 * has no value for them, and the report says why rather than "no data"; its lifetime value
 * comes from purchases instead (customer_value.lifetime_basis).
 */
export const subscriptionKpis = new Set([
  'customer_lifecycle.churn_rate',
  'customer_lifecycle.retention_rate',
  'cohort_retention.cohort_retention_rate',
  'customer_value.clv_subscription',
]);

export const NEEDS_SUBSCRIPTIONS = 'needs subscriptions';

/** true when the client's tenant has customer lifetimes from subscriptions. */
export async function hasSubscriptions(client: CubeClient): Promise<boolean> {
  const rows = await client.load({ dimensions: ['customer_value.lifetime_basis'], measures: ['customer_value.customers'] });
  return rows.some((r) => r['customer_value.lifetime_basis'] === 'subscriptions');
}
