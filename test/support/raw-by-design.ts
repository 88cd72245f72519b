import type { CubeQuery } from '@engagement/contract';

// A distinct count over a sliding 30-day window cannot be rebuilt from any rollup's rows
// (that needs Cube Store's mergeable approximate counts); panels showing it read raw tables.
const RAW_MEASURES = ['web_engagement.mau_30d'];
// The at-risk customers table lists one row per customer: a rollup by customer would copy the
// scores table, so it reads that table.
const RAW_DIMENSIONS = ['churn_risk.customer_id'];

/** Whether a board query reads the raw tables by design rather than a rollup. */
export function readsRawByDesign(query: CubeQuery): boolean {
  return (query.measures ?? []).some((m) => RAW_MEASURES.includes(m)) || (query.dimensions ?? []).some((d) => RAW_DIMENSIONS.includes(d));
}
