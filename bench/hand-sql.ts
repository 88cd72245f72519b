/**
 * The best SQL we could write by hand for each KPI of the executive board, from DESIGN.md's
 * formulas and the warehouse schema alone (not from the Cube model): what an analyst would run
 * instead of asking Cube. Each query filters the fact table by tenant directly and returns one
 * row per period as (period 'YYYY-MM-DD' or null, value).
 */
export interface HandQuery {
  sql: string;
  params: unknown[];
}

/** A half-open UTC range [from, end) and the period to group by (null: one total). */
export interface HandRange {
  from: string;
  end: string;
  granularity: 'day' | 'week' | 'month' | 'quarter' | 'year' | null;
}

type HandKpi = (tenant: string, range: HandRange | null) => HandQuery;

const grouped = (column: string) => `to_char(date_trunc($4, ${column} AT TIME ZONE 'UTC'), 'YYYY-MM-DD')`;

function perPeriod(table: string, time: string, where: string, value: string): HandKpi {
  return (tenant, range) => {
    if (!range?.granularity) throw new Error(`${table}: the board asks for this KPI by period`);
    return {
      sql: `SELECT ${grouped(time)} AS period, ${value} AS value
            FROM ${table}
            WHERE tenant_id = $1 AND ${where} AND ${time} >= $2::timestamptz AND ${time} < $3::timestamptz
            GROUP BY 1 ORDER BY 1`,
      params: [tenant, range.from, range.end, range.granularity],
    };
  };
}

/**
 * The UTC midnight after the tenant's data ends (its stored data_through, else its latest event
 * in any table), as a UTC timestamp: periods from then on have no data. Each table's maximum is
 * read from its (tenant_id, time) index.
 */
const observedUntil = `(SELECT date_trunc('day', coalesce((SELECT data_through FROM tenants WHERE id = $1), greatest(
    ${[
      ['customers', 'signup_at'],
      ['subscriptions', 'started_at'],
      ['subscriptions', 'ended_at'],
      ['orders', 'ordered_at'],
      ['web_sessions', 'started_at'],
      ['survey_responses', 'responded_at'],
      ['support_tickets', 'opened_at'],
      ['campaign_stats', 'day'],
      ['social_posts', 'posted_at'],
      ['social_account_days', 'day'],
      ['reviews', 'reviewed_at'],
    ]
      .map(
        ([table, column]) =>
          `(SELECT max(${column}) FROM ${table} WHERE tenant_id = $1)${column === 'day' ? "::timestamp AT TIME ZONE 'UTC'" : ''}`,
      )
      .join(',\n    ')})) AT TIME ZONE 'UTC') + interval '1 day')`;

/**
 * Customers active at each period's start and lost during it, from every customer's active
 * span (first start to last end): running totals of starts and ends per period, up to the end
 * of the tenant's data.
 */
function lifecycle(value: string): HandKpi {
  return (tenant, range) => {
    if (!range?.granularity) throw new Error('lifecycle KPIs need a period');
    return {
      sql: `WITH spans AS (
              SELECT min(started_at) AS s, CASE WHEN bool_and(ended_at IS NOT NULL) THEN max(ended_at) END AS e
              FROM subscriptions WHERE tenant_id = $1 GROUP BY customer_id
            ), events AS (
              SELECT date_trunc($4, s AT TIME ZONE 'UTC') AS period, count(*) AS starts, 0 AS ends FROM spans GROUP BY 1
              UNION ALL
              SELECT date_trunc($4, e AT TIME ZONE 'UTC'), 0, count(*) FROM spans WHERE e IS NOT NULL GROUP BY 1
              UNION ALL
              SELECT generate_series(($2::timestamptz AT TIME ZONE 'UTC'), ($3::timestamptz AT TIME ZONE 'UTC') - interval '1 second', ('1 ' || $4)::interval), 0, 0
            ), periods AS (
              SELECT period, sum(starts) AS starts, sum(ends) AS ends FROM events GROUP BY period
            ), running AS (
              SELECT period, ends,
                     coalesce(sum(starts - ends) OVER (ORDER BY period ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS at_start
              FROM periods
            )
            SELECT to_char(period, 'YYYY-MM-DD') AS period, ${value} AS value
            FROM running
            WHERE period >= ($2::timestamptz AT TIME ZONE 'UTC') AND period < ($3::timestamptz AT TIME ZONE 'UTC')
              AND period < ${observedUntil}
            ORDER BY 1`,
      params: [tenant, range.from, range.end, range.granularity],
    };
  };
}

/**
 * CLV = average purchase value × purchase frequency × expected lifespan
 *     = (revenue ÷ orders) × (orders ÷ customer-years) × (customer-years ÷ customers lost),
 * which is lifetime revenue ÷ customers lost: one pass over orders and one over subscriptions.
 */
const clv: HandKpi = (tenant) => ({
  sql: `WITH spans AS (
          SELECT customer_id, bool_and(ended_at IS NOT NULL) AS churned FROM subscriptions WHERE tenant_id = $1 GROUP BY customer_id
        )
        SELECT NULL AS period,
               (SELECT sum(o.amount) FROM orders o JOIN spans s ON s.customer_id = o.customer_id WHERE o.tenant_id = $1)
                 / NULLIF((SELECT count(*) FROM spans WHERE churned), 0) AS value`,
  params: [tenant],
});

/** Average daily active visitors ÷ active visitors of the period. */
const stickiness: HandKpi = (tenant, range) => {
  if (!range?.granularity) throw new Error('stickiness needs a period');
  return {
    sql: `WITH visits AS (
            SELECT DISTINCT ${grouped('started_at')} AS period, visitor_id, (started_at AT TIME ZONE 'UTC')::date AS day
            FROM web_sessions
            WHERE tenant_id = $1 AND started_at >= $2::timestamptz AND started_at < $3::timestamptz
          )
          SELECT period, 100.0 * (count(*)::numeric / count(DISTINCT day)) / count(DISTINCT visitor_id) AS value
          FROM visits GROUP BY 1 ORDER BY 1`,
    params: [tenant, range.from, range.end, range.granularity],
  };
};

/** By the board measure each query answers. */
export const handSql: Record<string, HandKpi> = {
  'customer_health.nps': perPeriod(
    'survey_responses',
    'responded_at',
    "kind = 'nps'",
    '100.0 * (count(*) FILTER (WHERE score >= 9) - count(*) FILTER (WHERE score <= 6)) / count(*)',
  ),
  'customer_health.csat': perPeriod(
    'survey_responses',
    'responded_at',
    "kind = 'csat'",
    '100.0 * count(*) FILTER (WHERE score >= 4) / count(*)',
  ),
  'customer_health.ces': perPeriod('survey_responses', 'responded_at', "kind = 'ces'", '1.0 * sum(score) / count(*)'),
  'customer_health.churn_rate': lifecycle('100.0 * ends / NULLIF(at_start, 0)'),
  'customer_health.retention_rate': lifecycle('100.0 * (at_start - ends) / NULLIF(at_start, 0)'),
  'customer_health.clv': clv,
  'web_engagement.conversion_rate': perPeriod('web_sessions', 'started_at', 'true', '100.0 * count(*) FILTER (WHERE converted) / count(*)'),
  'web_engagement.bounce_rate': perPeriod('web_sessions', 'started_at', 'true', '100.0 * count(*) FILTER (WHERE pageviews = 1) / count(*)'),
  'web_engagement.stickiness': stickiness,
};
