import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { schemaDir } from '@engagement/contract/node';
import { seedWarehouse } from '../../seeds/index.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startTestCube, type CubeQuery, type Row, type TestCube } from '../support/cube.js';
import { expectSameNumbers } from '../support/same-numbers.js';

// RFM segments and health scores on generated data: per customer against SQL and scoring written
// here from the definitions in the model's comments (not its SQL), and the rollups against the
// raw tables. Data through 2026-10-31; September 2026 is scored.
const MONTH = '2026-09';
const END = '2026-10-01T00:00:00Z'; // September's end, exclusive
const WINDOW = '2025-10-01T00:00:00Z'; // the 12 months October 2025 – September 2026
const LAST_3 = '2026-07-01T00:00:00Z';
const PRIOR_3 = '2026-04-01T00:00:00Z';
const DAY = 86_400_000;

let t: TestDatabase;
let raw: TestCube;
let rolled: TestCube;
let tenants: string[];

beforeAll(async () => {
  t = await createTestDatabase();
  await seedWarehouse(t.url, { customers: 1500, seed: 11, until: new Date('2026-11-01T00:00:00Z') });
  tenants = (await t.db('tenants').orderBy('id').pluck('id')) as string[];
  raw = await startTestCube(t.url, { preAggregations: false });
  rolled = await startTestCube(t.url);
});
afterAll(async () => {
  await raw?.stop();
  await rolled?.stop();
  await t?.drop();
});

const cubeMeta = (file: string, dimension: string) =>
  (
    parse(fs.readFileSync(path.join(schemaDir, 'cubes', file), 'utf8')) as {
      cubes: { dimensions: { name: string; meta?: Record<string, unknown> }[] }[];
    }
  ).cubes[0]!.dimensions.find((d) => d.name === dimension)!.meta!;
const segmentTable = (cubeMeta('customer_segments.yml', 'segment').rfm as { segments: Record<string, string[]> }).segments;
const weights = (cubeMeta('customer_health_scores.yml', 'health_score').health as { weights: Record<string, number> }).weights;

/** Rank with ties taking the lowest (SQL's RANK()), 1-based, of each value in ascending order. */
function ranks(values: number[]): number[] {
  return values.map((v) => 1 + values.filter((w) => w < v).length);
}
const quintile = (rank: number, n: number) => 1 + Math.floor((5 * (rank - 1)) / n);

/** Rows of one tenant for one month, with the given dimensions, keyed by customer id. */
async function perCustomer(cube: TestCube, tenant: string, cubeName: string, members: string[]): Promise<Map<string, Row>> {
  const rows = await cube.load(tenant, {
    dimensions: [`${cubeName}.customer_id`, ...members.map((m) => `${cubeName}.${m}`)],
    filters: [{ member: `${cubeName}.month`, operator: 'inDateRange', values: [`${MONTH}-01`, `${MONTH}-30`] }],
    limit: 50_000,
  });
  return new Map(rows.map((r) => [String(r[`${cubeName}.customer_id`]), r]));
}

describe('RFM against an independent computation', () => {
  it.each([0, 1, 2])('tenant %i: every customer’s recency, frequency, monetary, scores and segment', async (index) => {
    const tenant = tenants[index]!;
    // Customers who had bought by the month end (counting from their signup month).
    const { rows } = await t.db.raw(
      `SELECT c.id, max(o.ordered_at) AS last_at,
              count(*) FILTER (WHERE o.ordered_at >= :window) AS f,
              coalesce(sum(o.amount) FILTER (WHERE o.ordered_at >= :window), 0) AS m
       FROM customers c JOIN orders o ON o.tenant_id = c.tenant_id AND o.customer_id = c.id
       WHERE c.tenant_id = :tenant AND o.ordered_at < :end
         AND o.ordered_at >= date_trunc('month', c.signup_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
       GROUP BY c.id`,
      { tenant, window: WINDOW, end: END },
    );
    const buyers = (rows as { id: string; last_at: Date; f: string; m: string }[]).map((r) => ({
      id: r.id,
      recency: Math.floor((Date.parse(END) - r.last_at.getTime()) / DAY),
      f: Number(r.f),
      m: Number(r.m),
    }));
    const scored = buyers.filter((b) => b.f > 0);
    const n = scored.length;
    const r = ranks(scored.map((b) => -b.recency));
    const f = ranks(scored.map((b) => b.f));
    const m = ranks(scored.map((b) => b.m));
    const expected = new Map<string, unknown[]>(buyers.map((b) => [b.id, [b.recency, b.f, b.m, null, null, null, 'Lost']]));
    scored.forEach((b, i) => {
      const [rs, fs_, ms] = [quintile(r[i]!, n), quintile(f[i]!, n), quintile(m[i]!, n)];
      const fm = Math.floor((fs_ + ms + 1) / 2);
      expected.set(b.id, [b.recency, b.f, b.m, rs, fs_, ms, segmentTable[String(rs)]![fm - 1]]);
    });
    expect(n).toBeGreaterThan(50);

    const members = ['recency_days', 'frequency', 'monetary', 'r_score', 'f_score', 'm_score', 'segment'];
    const got = await perCustomer(raw, tenant, 'customer_segments', members);
    expect([...got.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [id, want] of expected) {
      const row = got.get(id)!;
      const values = members.map((member) => row[`customer_segments.${member}`]);
      expect(
        values.map((v, i) => (i < 6 && v !== null ? Number(v) : v)),
        `${tenant} ${id}`,
      ).toEqual(want.map((v, i) => (i === 2 ? Number((v as number).toFixed(2)) : v)));
    }
  });
});

describe('health scores against an independent computation', () => {
  it.each([0, 1, 2])('tenant %i: every customer’s score', async (index) => {
    const tenant = tenants[index]!;
    // Still a customer at the month end: its subscriptions' span (first start to last end) is
    // open then, or it has none. Activity counts from the signup month.
    const { rows } = await t.db.raw(
      `WITH pop AS (
         SELECT c.id, date_trunc('month', c.signup_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS since
         FROM customers c
         LEFT JOIN (SELECT customer_id, min(started_at) AS s, CASE WHEN bool_and(ended_at IS NOT NULL) THEN max(ended_at) END AS e
                    FROM subscriptions WHERE tenant_id = :tenant GROUP BY customer_id) sp ON sp.customer_id = c.id
         WHERE c.tenant_id = :tenant AND c.signup_at < :end
           AND (sp.customer_id IS NULL OR (sp.s < :end AND (sp.e IS NULL OR sp.e >= :end)))
       ), activity AS (
         SELECT customer_id, ordered_at AS at FROM orders WHERE tenant_id = :tenant AND ordered_at < :end
         UNION ALL
         SELECT customer_id, started_at FROM web_sessions WHERE tenant_id = :tenant AND customer_id IS NOT NULL AND started_at < :end
       )
       SELECT p.id,
              (SELECT max(a.at) FROM activity a WHERE a.customer_id = p.id AND a.at >= p.since) AS last_at,
              (SELECT count(*) FROM activity a WHERE a.customer_id = p.id AND a.at >= greatest(p.since, :last3)) AS cur,
              (SELECT count(*) FROM activity a WHERE a.customer_id = p.id AND a.at >= greatest(p.since, :prior3) AND a.at < :last3) AS prior,
              (SELECT CASE WHEN kind = 'nps' THEN score * 10.0 ELSE (score - 1) * 25.0 END FROM survey_responses s
                WHERE s.tenant_id = :tenant AND s.customer_id = p.id AND kind IN ('nps', 'csat')
                  AND responded_at >= greatest(p.since, :window) AND responded_at < :end
                ORDER BY responded_at DESC, id DESC LIMIT 1) AS sentiment,
              (SELECT count(*) FROM support_tickets k WHERE k.tenant_id = :tenant AND k.customer_id = p.id
                AND opened_at < :end AND (resolved_at IS NULL OR resolved_at >= :end)) AS open
       FROM pop p`,
      { tenant, end: END, window: WINDOW, last3: LAST_3, prior3: PRIOR_3 },
    );
    const customers = rows as { id: string; last_at: Date | null; cur: string; prior: string; sentiment: string | null; open: string }[];
    const n = customers.length;
    const activityRanks = ranks(customers.map((c) => Number(c.cur)));
    const expected = new Map(
      customers.map((c, i) => {
        const days = c.last_at ? Math.floor((Date.parse(END) - c.last_at.getTime()) / DAY) : null;
        const [cur, prior] = [Number(c.cur), Number(c.prior)];
        const points: Record<string, number | null> = {
          recency: days === null ? 0 : Math.max(0, 100 - (days * 100) / 90),
          frequency: n > 1 ? (100 * (activityRanks[i]! - 1)) / (n - 1) : 0,
          trend: cur + prior === 0 ? 50 : 50 + (50 * (cur - prior)) / Math.max(cur, prior),
          sentiment: c.sentiment === null ? null : Number(c.sentiment),
          support: Math.max(0, 100 - 50 * Number(c.open)),
        };
        const present = Object.keys(weights).filter((k) => points[k] !== null);
        const score = present.reduce((s, k) => s + weights[k]! * points[k]!, 0) / present.reduce((s, k) => s + weights[k]!, 0);
        return [c.id, score] as const;
      }),
    );
    expect(n).toBeGreaterThan(50);
    const got = await perCustomer(raw, tenant, 'customer_health_scores', ['health_score']);
    expect([...got.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [id, score] of expected)
      expect(Number(got.get(id)!['customer_health_scores.health_score']), `${tenant} ${id}`).toBeCloseTo(score, 9);
  });
});

describe('segment flows', () => {
  it("add up to the month's segment sizes, and to the month before's for those who had a segment", async () => {
    const tenant = tenants[0]!;
    const sizes = async (month: string) =>
      new Map(
        (
          await raw.load(tenant, {
            measures: ['customer_segments.customers'],
            dimensions: ['customer_segments.segment'],
            filters: [{ member: 'customer_segments.month', operator: 'inDateRange', values: [`${month}-01`, `${month}-01`] }],
          })
        ).map((r) => [r['customer_segments.segment'], Number(r['customer_segments.customers'])]),
      );
    const flows = await raw.load(tenant, {
      measures: ['customer_segment_flows.customers'],
      dimensions: ['customer_segment_flows.from_segment', 'customer_segment_flows.to_segment'],
      filters: [{ member: 'customer_segment_flows.month', operator: 'inDateRange', values: [`${MONTH}-01`, `${MONTH}-01`] }],
    });
    const total = (key: string, skip?: string) => {
      const sums = new Map<unknown, number>();
      for (const row of flows) {
        if (row[key] === skip) continue;
        sums.set(row[key], (sums.get(row[key]) ?? 0) + Number(row['customer_segment_flows.customers']));
      }
      return sums;
    };
    expect(total('customer_segment_flows.to_segment')).toEqual(await sizes(MONTH));
    expect(total('customer_segment_flows.from_segment', 'None')).toEqual(await sizes('2026-08'));
  });
});

describe('rollups', () => {
  const queries: [string, CubeQuery][] = [
    [
      'segment sizes by month',
      {
        measures: ['customer_segments.customers', 'customer_segments.window_spend', 'customer_segments.next_month_churn_rate'],
        dimensions: ['customer_segments.segment'],
        timeDimensions: [{ dimension: 'customer_segments.month', granularity: 'month', dateRange: ['2025-11-01', '2026-10-31'] }],
      },
    ],
    [
      'the R × FM grid',
      {
        measures: ['customer_segments.customers'],
        dimensions: ['customer_segments.r_score', 'customer_segments.fm_score'],
        timeDimensions: [{ dimension: 'customer_segments.month', dateRange: ['2026-09-01', '2026-09-30'] }],
      },
    ],
    [
      'flows of one month',
      {
        measures: ['customer_segment_flows.customers', 'customer_segment_flows.moved_customers'],
        dimensions: ['customer_segment_flows.from_segment', 'customer_segment_flows.to_segment'],
        timeDimensions: [{ dimension: 'customer_segment_flows.month', dateRange: ['2026-09-01', '2026-09-30'] }],
      },
    ],
    [
      'health by band and month',
      {
        measures: [
          'customer_health_scores.customers',
          'customer_health_scores.average_health_score',
          'customer_health_scores.next_month_churn_rate',
        ],
        dimensions: ['customer_health_scores.health_band'],
        timeDimensions: [{ dimension: 'customer_health_scores.month', granularity: 'month', dateRange: ['2025-11-01', '2026-10-31'] }],
      },
    ],
  ];

  it.each(queries)('%s: answered from a rollup with the raw numbers', async (_name, query) => {
    const measures = query.measures as string[];
    for (const tenant of tenants) {
      const fromRollup = await rolled.loadBody(tenant, query);
      const fromRaw = await raw.loadBody(tenant, query);
      expect(Object.keys(fromRollup.usedPreAggregations).length, tenant).toBeGreaterThan(0);
      expect(fromRaw.data.length, tenant).toBeGreaterThan(0);
      expectSameNumbers(fromRollup.data, fromRaw.data, measures);
    }
  });
});

describe('health and the churn that follows', () => {
  // The generator gives each customer a latent satisfaction that lowers its churn hazard and
  // raises its survey scores, visits and orders (seeds/customer.ts), so low health should come
  // before more churn. Pooled over the tenants and a year of months.
  it('customers not healthy at a month end churn more the month after than healthy ones', async () => {
    const pooled = new Map<string, { observed: number; churned: number }>();
    for (const tenant of tenants) {
      const rows = await rolled.load(tenant, {
        measures: ['customer_health_scores.next_month_observed', 'customer_health_scores.next_month_churn_rate'],
        dimensions: ['customer_health_scores.health_band'],
        timeDimensions: [{ dimension: 'customer_health_scores.month', dateRange: ['2025-10-01', '2026-09-30'] }],
      });
      for (const row of rows) {
        const band = String(row['customer_health_scores.health_band']);
        const observed = Number(row['customer_health_scores.next_month_observed']);
        const churned = (observed * Number(row['customer_health_scores.next_month_churn_rate'] ?? 0)) / 100;
        const sum = pooled.get(band) ?? { observed: 0, churned: 0 };
        pooled.set(band, { observed: sum.observed + observed, churned: sum.churned + churned });
      }
    }
    const rate = (bands: string[]) => {
      const parts = bands.map((b) => pooled.get(b) ?? { observed: 0, churned: 0 });
      return (100 * parts.reduce((s, p) => s + p.churned, 0)) / parts.reduce((s, p) => s + p.observed, 0);
    };
    const figures = Object.fromEntries(
      [...pooled].map(([band, p]) => [band, `${((100 * p.churned) / p.observed).toFixed(2)}% of ${p.observed}`]),
    );
    console.log('next-month churn by health band (pooled):', figures);
    expect(rate(['neutral', 'at risk'])).toBeGreaterThan(rate(['healthy']));
  });
});
