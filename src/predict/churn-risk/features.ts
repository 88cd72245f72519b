import type { Knex } from 'knex';
import { z } from 'zod';

/**
 * One subscription customer at one snapshot: what was known just before the snapshot instant,
 * and (for every snapshot but the as-of one) whether the customer churned in the month after it.
 */
export const snapshotRowSchema = z.object({
  customer_id: z.string(),
  /** 1 for the oldest snapshot; `months + 1` for the as-of instant itself. */
  position: z.number().int(),
  at: z.date(),
  /** The customer's active span (customer_spans.yml) ended in [at, next snapshot); null at the as-of snapshot. */
  churned: z.boolean().nullable(),
  plan: z.string().nullable(),
  tenure_days: z.number(),
  mrr: z.number(),
  last_activity_at: z.date().nullable(),
  days_since_activity: z.number(),
  sessions_1m: z.number().int(),
  sessions_3m: z.number().int(),
  latest_nps: z.number().nullable(),
  latest_csat: z.number().nullable(),
  open_tickets: z.number().int(),
  tickets_3m: z.number().int(),
});
export type SnapshotRow = z.infer<typeof snapshotRowSchema>;

const DAY_SECONDS = 86_400;

/**
 * Whether a customer's history snapshots are read: one customer in every `:every`, chosen by a
 * hash of the id (the same customers on every run). The as-of snapshot always has every customer.
 */
const SAMPLED = (customerId: string) => `(:every = 1 OR ('x' || left(md5(${customerId}), 8))::bit(32)::int % :every = 0)`;

/*
 * Every feature is defined once, here, in SQL, rather than read from Cube: the model needs each
 * customer's history at every monthly snapshot (a panel of customers × months), which no Cube
 * measure gives, and one query per customer-month through the REST API would take hours at 10^5
 * customers. The churn label follows the model's definition: a customer's active span is the
 * customer_spans cube's (first subscription start to the last end, open while any subscription
 * is), and churn is that span ending, as customer_lifecycle counts lost customers.
 *
 * Snapshots are the as-of instant and the `months` month-steps before it (UTC). width_bucket puts
 * each event between two snapshots, so "in the month before snapshot p" is bucket p − 1 and a
 * window over bucket numbers gives every rolling figure without a range join.
 */
const SNAPSHOT_SQL = `
WITH thr AS (
  SELECT ARRAY(SELECT (CAST(:asOf AS timestamptz) AT TIME ZONE 'UTC' - make_interval(months => k)) AT TIME ZONE 'UTC'
               FROM generate_series(:months, 0, -1) k) AS t
), spans AS (
  SELECT customer_id, min(started_at) AS started_at,
         CASE WHEN bool_and(ended_at IS NOT NULL) THEN max(ended_at) END AS ended_at
    FROM subscriptions WHERE tenant_id = :tenant GROUP BY customer_id
), panel AS (
  -- Active at snapshot p: started before it, not ended before it.
  SELECT s.customer_id, p AS position, thr.t[p] AS at, s.started_at,
         CASE WHEN p <= :months THEN s.ended_at IS NOT NULL AND width_bucket(s.ended_at, thr.t) = p END AS churned
    FROM spans s CROSS JOIN thr
   CROSS JOIN LATERAL generate_series(width_bucket(s.started_at, thr.t) + 1,
                                      least(coalesce(width_bucket(s.ended_at, thr.t), :months + 1), :months + 1)) p
   WHERE p = :months + 1 OR ${SAMPLED('s.customer_id')}
), mrr AS (
  SELECT s.customer_id, p AS position, coalesce(sum(s.mrr), 0) AS mrr
    FROM subscriptions s CROSS JOIN thr
   CROSS JOIN LATERAL generate_series(width_bucket(s.started_at, thr.t) + 1,
                                      least(coalesce(width_bucket(s.ended_at, thr.t), :months + 1), :months + 1)) p
   WHERE s.tenant_id = :tenant AND (p = :months + 1 OR ${SAMPLED('s.customer_id')})
   GROUP BY s.customer_id, p
), events AS (
  SELECT customer_id, position, true AS in_panel, 0 AS sessions, NULL::timestamptz AS active_at, 0 AS opened, 0 AS resolved,
         NULL::float8[] AS nps, NULL::float8[] AS csat
    FROM panel
  UNION ALL
  SELECT customer_id, width_bucket(started_at, thr.t), false, count(*), max(started_at), 0, 0, NULL, NULL
    FROM web_sessions CROSS JOIN thr
   WHERE tenant_id = :tenant AND customer_id IS NOT NULL AND started_at < thr.t[:months + 1]
   GROUP BY 1, 2
  UNION ALL
  SELECT customer_id, width_bucket(ordered_at, thr.t), false, 0, max(ordered_at), 0, 0, NULL, NULL
    FROM orders CROSS JOIN thr
   WHERE tenant_id = :tenant AND ordered_at < thr.t[:months + 1]
   GROUP BY 1, 2
  UNION ALL
  SELECT customer_id, width_bucket(opened_at, thr.t), false, 0, NULL, count(*), 0, NULL, NULL
    FROM support_tickets CROSS JOIN thr
   WHERE tenant_id = :tenant AND opened_at < thr.t[:months + 1]
   GROUP BY 1, 2
  UNION ALL
  SELECT customer_id, width_bucket(resolved_at, thr.t), false, 0, NULL, 0, count(*), NULL, NULL
    FROM support_tickets CROSS JOIN thr
   WHERE tenant_id = :tenant AND resolved_at < thr.t[:months + 1]
   GROUP BY 1, 2
  UNION ALL
  -- The latest answer of a bucket as [epoch, score]: arrays compare element by element, so max() keeps the latest.
  SELECT customer_id, width_bucket(responded_at, thr.t), false, 0, NULL, 0, 0,
         max(ARRAY[extract(epoch FROM responded_at)::float8, score::float8]) FILTER (WHERE kind = 'nps'),
         max(ARRAY[extract(epoch FROM responded_at)::float8, score::float8]) FILTER (WHERE kind = 'csat')
    FROM survey_responses CROSS JOIN thr
   WHERE tenant_id = :tenant AND kind IN ('nps', 'csat') AND responded_at < thr.t[:months + 1]
   GROUP BY 1, 2
), buckets AS (
  -- A customer outside the sample needs only the as-of snapshot: the 3 months before it, and
  -- all older history as one bucket (every older figure is a total or a latest).
  SELECT customer_id,
         CASE WHEN position >= :months - 2 OR ${SAMPLED('customer_id')} THEN position ELSE 0 END AS position,
         bool_or(in_panel) AS in_panel, sum(sessions) AS sessions, max(active_at) AS active_at,
         sum(opened) AS opened, sum(resolved) AS resolved, max(nps) AS nps, max(csat) AS csat
    FROM events GROUP BY 1, 2
), rolling AS (
  SELECT customer_id, position, in_panel,
         coalesce(sum(sessions) OVER last_month, 0) AS sessions_1m,
         coalesce(sum(sessions) OVER last_3_months, 0) AS sessions_3m,
         max(active_at) OVER before AS last_activity_at,
         coalesce(sum(opened) OVER before, 0) - coalesce(sum(resolved) OVER before, 0) AS open_tickets,
         coalesce(sum(opened) OVER last_3_months, 0) AS tickets_3m,
         (max(nps) OVER before)[2] AS latest_nps,
         (max(csat) OVER before)[2] AS latest_csat
    FROM buckets
  WINDOW before AS (PARTITION BY customer_id ORDER BY position RANGE BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING),
         last_month AS (PARTITION BY customer_id ORDER BY position RANGE BETWEEN 1 PRECEDING AND 1 PRECEDING),
         last_3_months AS (PARTITION BY customer_id ORDER BY position RANGE BETWEEN 3 PRECEDING AND 1 PRECEDING)
)
SELECT p.customer_id, p.position, p.at, p.churned, c.plan,
       extract(epoch FROM p.at - p.started_at) / ${DAY_SECONDS} AS tenure_days,
       coalesce(m.mrr, 0)::float8 AS mrr,
       r.last_activity_at,
       -- Never active: counted from the start of the span, so a silent new customer is not "long inactive".
       extract(epoch FROM p.at - greatest(r.last_activity_at, p.started_at)) / ${DAY_SECONDS} AS days_since_activity,
       r.sessions_1m::int, r.sessions_3m::int, r.latest_nps, r.latest_csat, r.open_tickets::int, r.tickets_3m::int
  FROM panel p
  JOIN rolling r ON r.customer_id = p.customer_id AND r.position = p.position AND r.in_panel
  JOIN customers c ON c.tenant_id = :tenant AND c.id = p.customer_id
  LEFT JOIN mrr m ON m.customer_id = p.customer_id AND m.position = p.position
 ORDER BY p.position, p.customer_id`;

/**
 * Every subscription customer of `tenantId` active at `asOf`, and at each of the `months` monthly
 * snapshots before it (of one customer in `every`, to bound a large tenant's training rows), with
 * their features and churn label.
 */
export async function readSnapshots(db: Knex, tenantId: string, asOf: Date, months: number, every = 1): Promise<SnapshotRow[]> {
  const { rows } = await db.raw(SNAPSHOT_SQL, { tenant: tenantId, asOf: asOf.toISOString(), months, every });
  return z.array(snapshotRowSchema).parse(
    (rows as Record<string, unknown>[]).map((row) => ({
      ...row,
      tenure_days: Number(row.tenure_days),
      days_since_activity: Number(row.days_since_activity),
      latest_nps: row.latest_nps === null ? null : Number(row.latest_nps),
      latest_csat: row.latest_csat === null ? null : Number(row.latest_csat),
    })),
  );
}
