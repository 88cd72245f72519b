import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedWarehouse } from '../../seeds/index.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startTestCube, type CubeQuery, type TestCube } from '../support/cube.js';

// Each KPI from Cube is compared with SQL written here from DESIGN.md's formulas alone,
// on generated data, per period at two granularities and for one segmented query.
const FROM = '2026-04-01';
const TO = '2026-09-30';
const END = '2026-10-01'; // exclusive end of the range above
type Granularity = 'day' | 'week' | 'month' | 'quarter' | 'year';
const everyGranularity: Granularity[] = ['day', 'week', 'month', 'quarter', 'year'];
// Ranges made of whole periods (2026-06-01 is a Monday), so no period is cut by the range.
const ranges: Record<Granularity, { from: string; to: string; end: string }> = {
  day: { from: '2026-09-01', to: '2026-09-30', end: '2026-10-01' },
  week: { from: '2026-06-01', to: '2026-09-27', end: '2026-09-28' },
  month: { from: FROM, to: TO, end: END },
  quarter: { from: '2025-10-01', to: '2026-09-30', end: '2026-10-01' },
  // 2027 is after the data ends (2026-11-01): no data, on both sides.
  year: { from: '2025-01-01', to: '2027-12-31', end: '2028-01-01' },
};

let t: TestDatabase;
let cube: TestCube;
let tenants: string[];
// A shop: the first generated tenant's customers and orders, without its subscriptions. Ids are
// the source's, per tenant, so the copy keeps them.
const SHOP = 'oracle_shop';

beforeAll(async () => {
  t = await createTestDatabase();
  await seedWarehouse(t.url, { customers: 3000, seed: 7, until: new Date('2026-11-01T00:00:00Z') });
  tenants = (await t.db('tenants').orderBy('id').pluck('id')) as string[];
  const copy = { shop: SHOP, from: tenants[0]! };
  await t.db('tenants').insert({ id: SHOP, name: 'Oracle shop', business_model: 'b2c' });
  await t.db.raw(
    `INSERT INTO customers (id, tenant_id, signup_at, plan, segment, country, acquisition_channel)
     SELECT id, :shop, signup_at, plan, segment, country, acquisition_channel FROM customers WHERE tenant_id = :from`,
    copy,
  );
  await t.db.raw(
    `INSERT INTO orders (id, tenant_id, customer_id, amount, ordered_at)
     SELECT id, :shop, customer_id, amount, ordered_at FROM orders WHERE tenant_id = :from`,
    copy,
  );
  cube = await startTestCube(t.url);
});
afterAll(async () => {
  await cube?.stop();
  await t?.drop();
});

type Keyed = Map<string, number>;

/** Cube rows → bucket/segment key → value, for one measure. */
function cubeValues(rows: Record<string, unknown>[], measure: string, keys: string[]): Keyed {
  return new Map(
    rows.map((r) => [keys.map((k) => String(r[k]).slice(0, 10)).join('|'), r[measure] === null ? Number.NaN : Number(r[measure])]),
  );
}

/** Oracle rows with columns k1..kn and v → the same shape. */
async function oracleValues(sql: string, bindings: Record<string, unknown>): Promise<Keyed> {
  const { rows } = await t.db.raw(sql, bindings);
  return new Map(
    (rows as Record<string, unknown>[]).map((r) => {
      const keys = Object.keys(r)
        .filter((k) => k.startsWith('k'))
        .sort()
        .map((k) => (r[k] instanceof Date ? (r[k] as Date).toISOString() : String(r[k])).slice(0, 10));
      return [keys.join('|'), r.v === null ? Number.NaN : Number(r.v)];
    }),
  );
}

/** A null value means "no data" on either side, as does a missing row. */
function withoutNulls(values: Keyed): Keyed {
  return new Map([...values].filter(([, v]) => !Number.isNaN(v)));
}

function expectSameValues(actualWithNulls: Keyed, expectedWithNulls: Keyed): void {
  const [actual, expected] = [withoutNulls(actualWithNulls), withoutNulls(expectedWithNulls)];
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
  expect(actual.size).toBeGreaterThan(0);
  for (const [key, want] of expected) {
    const got = actual.get(key)!;
    expect(Math.abs(got - want) / Math.max(1, Math.abs(want)), `${key}: cube ${got}, oracle ${want}`).toBeLessThanOrEqual(1e-9);
  }
}

const bucket = (column: string) => `date_trunc(:g, ${column} AT TIME ZONE 'UTC')`;
const inRange = (column: string) => `${column} >= :from::timestamptz AND ${column} < :end::timestamptz`;

// Customer spans: first subscription start, last end when every subscription has ended.
const spans = `(SELECT customer_id, min(started_at) AS s, CASE WHEN bool_and(ended_at IS NOT NULL) THEN max(ended_at) END AS e
  FROM subscriptions WHERE tenant_id = :tenant GROUP BY customer_id)`;
// The end of observation: the day after the tenant's latest event of any kind (UTC), exclusive.
const observedUntil = `(SELECT (date_trunc('day', max(at) AT TIME ZONE 'UTC') + interval '1 day') AT TIME ZONE 'UTC' AS a FROM (
    SELECT signup_at AS at FROM customers WHERE tenant_id = :tenant
    UNION ALL SELECT started_at FROM subscriptions WHERE tenant_id = :tenant
    UNION ALL SELECT ended_at FROM subscriptions WHERE tenant_id = :tenant
    UNION ALL SELECT ordered_at FROM orders WHERE tenant_id = :tenant
    UNION ALL SELECT started_at FROM web_sessions WHERE tenant_id = :tenant
    UNION ALL SELECT responded_at FROM survey_responses WHERE tenant_id = :tenant
    UNION ALL SELECT opened_at FROM support_tickets WHERE tenant_id = :tenant
    UNION ALL SELECT day::timestamp AT TIME ZONE 'UTC' FROM campaign_stats WHERE tenant_id = :tenant
    UNION ALL SELECT posted_at FROM social_posts WHERE tenant_id = :tenant
    UNION ALL SELECT day::timestamp AT TIME ZONE 'UTC' FROM social_account_days WHERE tenant_id = :tenant
    UNION ALL SELECT reviewed_at FROM reviews WHERE tenant_id = :tenant) events)`;
// PostgreSQL has no '1 quarter' interval.
const step = `(CASE WHEN :g = 'quarter' THEN interval '3 months' ELSE ('1 ' || :g)::interval END)`;
const periods = `(SELECT p AS k0, p AT TIME ZONE 'UTC' AS ps, (p + ${step}) AT TIME ZONE 'UTC' AS pe
  FROM generate_series(date_trunc(:g, :from::timestamp), :end::timestamp - interval '1 day', ${step}) AS p)`;

interface Case {
  measure: string;
  time: string;
  oracle: string;
  /** Period KPIs are checked at every granularity, the rest by month and by week. */
  granularities?: Granularity[];
}

const cases: Case[] = [
  {
    measure: 'survey_responses.nps',
    time: 'survey_responses.responded_at',
    oracle: `SELECT ${bucket('responded_at')} AS k0, 100.0 * (count(*) FILTER (WHERE score >= 9) - count(*) FILTER (WHERE score <= 6)) / count(*) AS v
      FROM survey_responses WHERE tenant_id = :tenant AND kind = 'nps' AND ${inRange('responded_at')} GROUP BY 1`,
  },
  {
    measure: 'survey_responses.csat',
    time: 'survey_responses.responded_at',
    oracle: `SELECT ${bucket('responded_at')} AS k0, 100.0 * count(*) FILTER (WHERE score IN (4, 5)) / count(*) AS v
      FROM survey_responses WHERE tenant_id = :tenant AND kind = 'csat' AND ${inRange('responded_at')} GROUP BY 1`,
  },
  {
    measure: 'survey_responses.ces',
    time: 'survey_responses.responded_at',
    oracle: `SELECT ${bucket('responded_at')} AS k0, avg(score) AS v
      FROM survey_responses WHERE tenant_id = :tenant AND kind = 'ces' AND ${inRange('responded_at')} GROUP BY 1`,
  },
  {
    measure: 'customer_lifecycle.churn_rate',
    time: 'customer_lifecycle.date',
    oracle: `SELECT k0, CASE WHEN ps < obs.a THEN 100.0 * count(*) FILTER (WHERE sp.e >= ps AND sp.e < pe) / NULLIF(count(*) FILTER (WHERE sp.s < ps AND (sp.e IS NULL OR sp.e >= ps)), 0) END AS v
      FROM ${periods} p CROSS JOIN ${spans} sp CROSS JOIN ${observedUntil} obs GROUP BY k0, ps, obs.a`,
    granularities: everyGranularity,
  },
  {
    measure: 'customer_lifecycle.retention_rate',
    time: 'customer_lifecycle.date',
    oracle: `SELECT k0, CASE WHEN ps < obs.a THEN 100.0 * (count(*) FILTER (WHERE sp.s < pe AND (sp.e IS NULL OR sp.e >= pe)) - count(*) FILTER (WHERE sp.s >= ps AND sp.s < pe))
        / NULLIF(count(*) FILTER (WHERE sp.s < ps AND (sp.e IS NULL OR sp.e >= ps)), 0) END AS v
      FROM ${periods} p CROSS JOIN ${spans} sp CROSS JOIN ${observedUntil} obs GROUP BY k0, ps, obs.a`,
    granularities: everyGranularity,
  },
  {
    measure: 'web_sessions.bounce_rate',
    time: 'web_sessions.started_at',
    oracle: `SELECT ${bucket('started_at')} AS k0, 100.0 * count(*) FILTER (WHERE pageviews = 1) / count(*) AS v
      FROM web_sessions WHERE tenant_id = :tenant AND ${inRange('started_at')} GROUP BY 1`,
  },
  {
    measure: 'web_sessions.conversion_rate',
    time: 'web_sessions.started_at',
    oracle: `SELECT ${bucket('started_at')} AS k0, 100.0 * count(*) FILTER (WHERE converted) / count(*) AS v
      FROM web_sessions WHERE tenant_id = :tenant AND ${inRange('started_at')} GROUP BY 1`,
  },
  {
    measure: 'web_sessions.avg_session_duration',
    time: 'web_sessions.started_at',
    oracle: `SELECT ${bucket('started_at')} AS k0, avg(duration_seconds) AS v
      FROM web_sessions WHERE tenant_id = :tenant AND ${inRange('started_at')} GROUP BY 1`,
  },
  {
    measure: 'web_sessions.referral_share',
    time: 'web_sessions.started_at',
    oracle: `SELECT ${bucket('started_at')} AS k0, 100.0 * count(*) FILTER (WHERE channel = 'referral') / count(*) AS v
      FROM web_sessions WHERE tenant_id = :tenant AND ${inRange('started_at')} GROUP BY 1`,
  },
  {
    measure: 'web_sessions.active_users',
    time: 'web_sessions.started_at',
    oracle: `SELECT ${bucket('started_at')} AS k0, count(DISTINCT visitor_id) AS v
      FROM web_sessions WHERE tenant_id = :tenant AND ${inRange('started_at')} GROUP BY 1`,
  },
  {
    measure: 'web_sessions.stickiness',
    time: 'web_sessions.started_at',
    oracle: `SELECT k0, 100.0 * (count(*)::numeric / count(DISTINCT d)) / count(DISTINCT visitor_id) AS v FROM (
        SELECT DISTINCT ${bucket('started_at')} AS k0, visitor_id, (started_at AT TIME ZONE 'UTC')::date AS d
        FROM web_sessions WHERE tenant_id = :tenant AND ${inRange('started_at')}) daily GROUP BY k0`,
  },
  {
    measure: 'support_tickets.avg_first_response_hours',
    time: 'support_tickets.opened_at',
    oracle: `SELECT ${bucket('opened_at')} AS k0, avg(EXTRACT(EPOCH FROM first_response_at - opened_at)) / 3600 AS v
      FROM support_tickets WHERE tenant_id = :tenant AND ${inRange('opened_at')} GROUP BY 1`,
  },
  {
    measure: 'support_tickets.avg_resolution_hours',
    time: 'support_tickets.opened_at',
    oracle: `SELECT ${bucket('opened_at')} AS k0, avg(EXTRACT(EPOCH FROM resolved_at - opened_at)) / 3600 AS v
      FROM support_tickets WHERE tenant_id = :tenant AND ${inRange('opened_at')} GROUP BY 1`,
  },
  {
    measure: 'support_tickets.first_contact_resolution_rate',
    time: 'support_tickets.opened_at',
    oracle: `SELECT ${bucket('opened_at')} AS k0, 100.0 * count(*) FILTER (WHERE resolved_at IS NOT NULL AND contacts = 1) / NULLIF(count(resolved_at), 0) AS v
      FROM support_tickets WHERE tenant_id = :tenant AND ${inRange('opened_at')} GROUP BY 1`,
  },
  {
    measure: 'campaign_stats.email_ctr',
    time: 'campaign_stats.day',
    oracle: `SELECT date_trunc(:g, day::timestamp) AS k0, 100.0 * sum(clicks) / NULLIF(sum(impressions), 0) AS v
      FROM campaign_stats WHERE tenant_id = :tenant AND channel = 'email' AND day >= :from::date AND day < :end::date GROUP BY 1`,
  },
  {
    measure: 'campaign_stats.ctr',
    time: 'campaign_stats.day',
    oracle: `SELECT date_trunc(:g, day::timestamp) AS k0, 100.0 * sum(clicks) / NULLIF(sum(impressions), 0) AS v
      FROM campaign_stats WHERE tenant_id = :tenant AND day >= :from::date AND day < :end::date GROUP BY 1`,
  },
  {
    measure: 'social_posts.engagement_rate',
    time: 'social_posts.posted_at',
    oracle: `SELECT ${bucket('posted_at')} AS k0, avg(100.0 * (likes + shares + comments) / NULLIF(followers, 0)) AS v
      FROM social_posts WHERE tenant_id = :tenant AND ${inRange('posted_at')} GROUP BY 1`,
  },
  {
    measure: 'social_posts.post_ctr',
    time: 'social_posts.posted_at',
    oracle: `SELECT ${bucket('posted_at')} AS k0, 100.0 * sum(clicks) FILTER (WHERE impressions IS NOT NULL)
        / NULLIF(sum(impressions) FILTER (WHERE clicks IS NOT NULL), 0) AS v
      FROM social_posts WHERE tenant_id = :tenant AND ${inRange('posted_at')} GROUP BY 1`,
  },
  {
    measure: 'social_posts.save_rate',
    time: 'social_posts.posted_at',
    oracle: `SELECT ${bucket('posted_at')} AS k0, 100.0 * sum(saves) FILTER (WHERE impressions IS NOT NULL)
        / NULLIF(sum(impressions) FILTER (WHERE saves IS NOT NULL), 0) AS v
      FROM social_posts WHERE tenant_id = :tenant AND ${inRange('posted_at')} GROUP BY 1`,
  },
  {
    measure: 'social_posts.social_conversion_rate',
    time: 'social_posts.posted_at',
    oracle: `SELECT ${bucket('posted_at')} AS k0, 100.0 * sum(conversions) / NULLIF(sum(clicks) FILTER (WHERE conversions IS NOT NULL), 0) AS v
      FROM social_posts WHERE tenant_id = :tenant AND ${inRange('posted_at')} GROUP BY 1`,
  },
  {
    // Per account and month: followers on its last day less those on the day before it began,
    // for months counted from their first day; a longer period pools its months.
    measure: 'social_account_days.follower_growth_rate',
    time: 'social_account_days.day',
    granularities: ['month', 'quarter', 'year'],
    oracle: `WITH months AS (
        SELECT platform, date_trunc('month', day::timestamp) AS month, min(day) AS first_day, max(day) AS last_day
        FROM social_account_days WHERE tenant_id = :tenant AND day >= :from::date AND day < :end::date GROUP BY 1, 2),
      per AS (
        SELECT m.month,
          (SELECT followers FROM social_account_days s WHERE s.tenant_id = :tenant AND s.platform = m.platform AND s.day = m.last_day) AS end_followers,
          (SELECT followers FROM social_account_days s WHERE s.tenant_id = :tenant AND s.platform = m.platform AND s.day < m.first_day
            ORDER BY s.day DESC LIMIT 1) AS start_followers
        FROM months m WHERE m.first_day = m.month::date)
      SELECT date_trunc(:g, month) AS k0, 100.0 * sum(end_followers - start_followers) / NULLIF(sum(start_followers), 0) AS v
      FROM per WHERE start_followers IS NOT NULL GROUP BY 1`,
  },
  {
    measure: 'social_account_days.brand_mentions',
    time: 'social_account_days.day',
    oracle: `SELECT date_trunc(:g, day::timestamp) AS k0, sum(mentions) AS v
      FROM social_account_days WHERE tenant_id = :tenant AND day >= :from::date AND day < :end::date GROUP BY 1`,
  },
  {
    measure: 'social_account_days.avg_social_response_hours',
    time: 'social_account_days.day',
    oracle: `SELECT date_trunc(:g, day::timestamp) AS k0,
        sum(response_minutes) / 60.0 / NULLIF(sum(messages_answered) FILTER (WHERE response_minutes IS NOT NULL), 0) AS v
      FROM social_account_days WHERE tenant_id = :tenant AND day >= :from::date AND day < :end::date GROUP BY 1`,
  },
  {
    measure: 'social_account_days.story_completion_rate',
    time: 'social_account_days.day',
    oracle: `SELECT date_trunc(:g, day::timestamp) AS k0,
        100.0 * sum(story_completions) / NULLIF(sum(story_viewers) FILTER (WHERE story_completions IS NOT NULL), 0) AS v
      FROM social_account_days WHERE tenant_id = :tenant AND day >= :from::date AND day < :end::date GROUP BY 1`,
  },
  {
    measure: 'reviews.reviews',
    time: 'reviews.reviewed_at',
    oracle: `SELECT ${bucket('reviewed_at')} AS k0, count(*) AS v FROM reviews WHERE tenant_id = :tenant AND ${inRange('reviewed_at')} GROUP BY 1`,
  },
  {
    measure: 'reviews.average_rating',
    time: 'reviews.reviewed_at',
    oracle: `SELECT ${bucket('reviewed_at')} AS k0, avg(rating) AS v FROM reviews WHERE tenant_id = :tenant AND ${inRange('reviewed_at')} GROUP BY 1`,
  },
  {
    measure: 'reviews.positive_review_share',
    time: 'reviews.reviewed_at',
    oracle: `SELECT ${bucket('reviewed_at')} AS k0, 100.0 * count(*) FILTER (WHERE rating >= 4) / count(*) AS v
      FROM reviews WHERE tenant_id = :tenant AND ${inRange('reviewed_at')} GROUP BY 1`,
  },
];

async function compare(tenant: string, c: Case, g: Granularity): Promise<void> {
  const rows = await cube.load(tenant, {
    measures: [c.measure],
    timeDimensions: [{ dimension: c.time, granularity: g, dateRange: [ranges[g].from, ranges[g].to] }],
  } satisfies CubeQuery);
  const actual = cubeValues(rows, c.measure, [`${c.time}.${g}`]);
  expectSameValues(actual, await oracleValues(c.oracle, { tenant, g, from: ranges[g].from, end: ranges[g].end }));
}

describe('each KPI equals an independent SQL query on generated data', () => {
  for (const c of cases) {
    const granularities: Granularity[] = c.granularities ?? ['month', 'week'];
    it.each(granularities)(`${c.measure} by %s, every tenant`, async (g) => {
      for (const tenant of tenants) await compare(tenant, c, g);
    });
  }

  it('MAU over a trailing 30 days, by day', async () => {
    const tenant = tenants[0]!;
    const rows = await cube.load(tenant, {
      measures: ['web_sessions.mau_30d'],
      timeDimensions: [{ dimension: 'web_sessions.started_at', granularity: 'day', dateRange: ['2026-09-01', '2026-09-30'] }],
    });
    const expected = await oracleValues(
      `SELECT d AS k0, (SELECT count(DISTINCT visitor_id) FROM web_sessions
          WHERE tenant_id = :tenant AND started_at > (d + interval '1 day' - interval '1 millisecond' - interval '30 days') AT TIME ZONE 'UTC'
            AND started_at <= (d + interval '1 day' - interval '1 millisecond') AT TIME ZONE 'UTC') AS v
        FROM generate_series(timestamp '2026-09-01', timestamp '2026-09-30', interval '1 day') AS d`,
      { tenant },
    );
    expectSameValues(cubeValues(rows, 'web_sessions.mau_30d', ['web_sessions.started_at.day']), expected);
  });

  it('cohort retention triangle', async () => {
    for (const tenant of tenants) {
      const rows = await cube.load(tenant, {
        measures: ['cohort_retention.cohort_retention_rate'],
        dimensions: ['cohort_retention.months_since_signup'],
        timeDimensions: [{ dimension: 'cohort_retention.cohort_month', granularity: 'month', dateRange: ['2025-01-01', '2026-09-30'] }],
      });
      const expected = await oracleValues(
        `WITH asof AS ${observedUntil},
         c AS (SELECT date_trunc('month', sp.s AT TIME ZONE 'UTC') AS m, sp.e FROM ${spans} sp)
         SELECT c.m AS k0, age.n AS k1, 100.0 * count(*) FILTER (WHERE c.e IS NULL OR c.e >= (c.m + make_interval(months => age.n + 1)) AT TIME ZONE 'UTC') / count(*) AS v
         FROM c CROSS JOIN generate_series(0, 60) AS age(n) CROSS JOIN asof
         WHERE c.m >= '2025-01-01' AND c.m < '2026-10-01' AND (c.m + make_interval(months => age.n + 1)) AT TIME ZONE 'UTC' <= asof.a
         GROUP BY 1, 2`,
        { tenant },
      );
      expectSameValues(
        cubeValues(rows, 'cohort_retention.cohort_retention_rate', [
          'cohort_retention.cohort_month.month',
          'cohort_retention.months_since_signup',
        ]),
        expected,
      );
    }
  });

  it('CLV both ways, by plan', async () => {
    for (const tenant of tenants) {
      const rows = await cube.load(tenant, {
        measures: ['customer_health.clv', 'customer_health.clv_subscription'],
        dimensions: ['customer_health.plan'],
      });
      const oracle = `WITH asof AS ${observedUntil},
        sp AS ${spans},
        per AS (
          SELECT c.plan, sp.e IS NOT NULL AS lost, EXTRACT(EPOCH FROM coalesce(sp.e, asof.a) - sp.s) / (365.25 * 86400) AS years,
            (SELECT count(*) FROM orders o WHERE o.tenant_id = :tenant AND o.customer_id = c.id) AS n,
            (SELECT coalesce(sum(amount), 0) FROM orders o WHERE o.tenant_id = :tenant AND o.customer_id = c.id) AS revenue,
            (SELECT CASE WHEN bool_and(mrr IS NOT NULL)
                      THEN sum(mrr * EXTRACT(EPOCH FROM coalesce(s.ended_at, asof.a) - s.started_at) / (365.25 * 86400 / 12)) END
               FROM subscriptions s WHERE s.tenant_id = :tenant AND s.customer_id = c.id) AS mrr_revenue
          FROM customers c JOIN sp ON sp.customer_id = c.id CROSS JOIN asof WHERE c.tenant_id = :tenant)
        SELECT plan AS k0,
          (sum(revenue) / NULLIF(sum(n), 0)) * (sum(n) / NULLIF(sum(years), 0)) * (sum(years) / NULLIF(count(*) FILTER (WHERE lost), 0)) AS v,
          (sum(mrr_revenue) / NULLIF(sum(years) FILTER (WHERE mrr_revenue IS NOT NULL) * 12, 0)) / NULLIF(count(*) FILTER (WHERE lost) / NULLIF(sum(years) * 12, 0), 0) AS w
        FROM per GROUP BY plan`;
      const { rows: want } = await t.db.raw(oracle, { tenant });
      expectSameValues(
        cubeValues(rows, 'customer_health.clv', ['customer_health.plan']),
        new Map(want.map((r: { k0: string; v: number }) => [r.k0, r.v === null ? Number.NaN : Number(r.v)])),
      );
      expectSameValues(
        cubeValues(rows, 'customer_health.clv_subscription', ['customer_health.plan']),
        new Map(want.map((r: { k0: string; w: number }) => [r.k0, r.w === null ? Number.NaN : Number(r.w)])),
      );
    }
  });

  it('CLV of a shop without subscriptions, by plan: lifetimes from purchases, lost after 9 months without one', async () => {
    const rows = await cube.load(SHOP, {
      measures: ['customer_health.clv', 'customer_health.clv_subscription'],
      dimensions: ['customer_health.plan'],
    });
    const { rows: want } = await t.db.raw(
      `WITH asof AS ${observedUntil.replaceAll(':tenant', ':shop')},
       per AS (
         SELECT c.plan, count(*) AS n, sum(o.amount) AS revenue, max(o.ordered_at) < asof.a - interval '9 months' AS lost,
           EXTRACT(EPOCH FROM CASE WHEN max(o.ordered_at) < asof.a - interval '9 months' THEN max(o.ordered_at) ELSE asof.a END - min(o.ordered_at))
             / (365.25 * 86400) AS years
         FROM customers c JOIN orders o ON o.tenant_id = c.tenant_id AND o.customer_id = c.id CROSS JOIN asof
         WHERE c.tenant_id = :shop GROUP BY c.id, c.plan, asof.a)
       SELECT plan AS k0,
         (sum(revenue) / sum(n)) * (sum(n) / NULLIF(sum(years), 0)) * (sum(years) / NULLIF(count(*) FILTER (WHERE lost), 0)) AS v
       FROM per GROUP BY plan`,
      { shop: SHOP },
    );
    expectSameValues(
      cubeValues(rows, 'customer_health.clv', ['customer_health.plan']),
      new Map(want.map((r: { k0: string; v: number }) => [r.k0, r.v === null ? Number.NaN : Number(r.v)])),
    );
    expect(rows.map((r) => r['customer_health.clv_subscription'])).toEqual(rows.map(() => null));
  });

  it('segmented: average rating by review site, follower growth and response time by platform', async () => {
    for (const tenant of tenants) {
      const compareBy = async (measure: string, dimension: string, time: string, oracle: string, granularity?: 'month') => {
        const rows = await cube.load(tenant, {
          measures: [measure],
          dimensions: [dimension],
          timeDimensions: [{ dimension: time, ...(granularity ? { granularity } : {}), dateRange: [FROM, TO] }],
        });
        const keys = granularity ? [`${time}.${granularity}`, dimension] : [dimension];
        expectSameValues(cubeValues(rows, measure, keys), await oracleValues(oracle, { tenant, from: FROM, end: END }));
      };
      await compareBy(
        'marketing.average_rating',
        'marketing.review_site',
        'marketing.review_date',
        `SELECT coalesce(source, 'unknown') AS k0, avg(rating) AS v FROM reviews WHERE tenant_id = :tenant AND ${inRange('reviewed_at')} GROUP BY 1`,
      );
      await compareBy(
        'marketing.avg_social_response_hours',
        'marketing.account_platform',
        'marketing.social_date',
        `SELECT platform AS k0, sum(response_minutes) / 60.0 / NULLIF(sum(messages_answered) FILTER (WHERE response_minutes IS NOT NULL), 0) AS v
         FROM social_account_days WHERE tenant_id = :tenant AND day >= :from::date AND day < :end::date GROUP BY 1`,
      );
      await compareBy(
        'marketing.follower_growth_rate',
        'marketing.account_platform',
        'marketing.social_date',
        `SELECT date_trunc('month', s.day::timestamp) AS k0, s.platform AS k1,
           100.0 * (e.followers - p.followers) / NULLIF(p.followers, 0) AS v
         FROM social_account_days s
         JOIN social_account_days p ON p.tenant_id = s.tenant_id AND p.platform = s.platform AND p.day = s.day - 1
         JOIN social_account_days e ON e.tenant_id = s.tenant_id AND e.platform = s.platform
           AND e.day = (date_trunc('month', s.day::timestamp) + interval '1 month' - interval '1 day')::date
         WHERE s.tenant_id = :tenant AND s.day = date_trunc('month', s.day::timestamp)::date AND s.day >= :from::date AND s.day < :end::date`,
        'month',
      );
    }
  });

  it('segmented: NPS by plan and churn by plan by month, bounce by channel and device', async () => {
    const tenant = tenants[0]!;
    const nps = await cube.load(tenant, {
      measures: ['customer_health.nps'],
      dimensions: ['customer_health.plan'],
      timeDimensions: [{ dimension: 'customer_health.survey_date', dateRange: [FROM, TO] }],
    });
    expectSameValues(
      cubeValues(nps, 'customer_health.nps', ['customer_health.plan']),
      await oracleValues(
        `SELECT c.plan AS k0, 100.0 * (count(*) FILTER (WHERE r.score >= 9) - count(*) FILTER (WHERE r.score <= 6)) / count(*) AS v
       FROM survey_responses r JOIN customers c ON c.tenant_id = r.tenant_id AND c.id = r.customer_id
       WHERE r.tenant_id = :tenant AND r.kind = 'nps' AND ${inRange('r.responded_at')} GROUP BY 1`,
        { tenant, from: FROM, end: END },
      ),
    );

    const churn = await cube.load(tenant, {
      measures: ['customer_health.churn_rate'],
      dimensions: ['customer_health.plan'],
      timeDimensions: [{ dimension: 'customer_health.lifecycle_date', granularity: 'month', dateRange: [FROM, TO] }],
    });
    expectSameValues(
      cubeValues(churn, 'customer_health.churn_rate', ['customer_health.lifecycle_date.month', 'customer_health.plan']),
      await oracleValues(
        `SELECT k0, c.plan AS k1, 100.0 * count(*) FILTER (WHERE sp.e >= ps AND sp.e < pe) / NULLIF(count(*) FILTER (WHERE sp.s < ps AND (sp.e IS NULL OR sp.e >= ps)), 0) AS v
       FROM ${periods} p CROSS JOIN ${spans} sp JOIN customers c ON c.tenant_id = :tenant AND c.id = sp.customer_id GROUP BY k0, c.plan`,
        { tenant, g: 'month', from: FROM, end: END },
      ),
    );

    const bounce = await cube.load(tenant, {
      measures: ['web_engagement.bounce_rate'],
      dimensions: ['web_engagement.channel', 'web_engagement.device'],
      timeDimensions: [{ dimension: 'web_engagement.started_at', dateRange: [FROM, TO] }],
    });
    expectSameValues(
      cubeValues(bounce, 'web_engagement.bounce_rate', ['web_engagement.channel', 'web_engagement.device']),
      await oracleValues(
        `SELECT channel AS k0, device AS k1, 100.0 * count(*) FILTER (WHERE pageviews = 1) / count(*) AS v
       FROM web_sessions WHERE tenant_id = :tenant AND ${inRange('started_at')} GROUP BY 1, 2`,
        { tenant, from: FROM, end: END },
      ),
    );
  });
});
