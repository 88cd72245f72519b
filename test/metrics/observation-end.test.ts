import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CubeClient } from '../../src/cube/client.js';
import { formatReport } from '../../src/report/format.js';
import { buildKpiReport, loadDataThrough } from '../../src/report/kpi-report.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startTestCube, type Row, type TestCube } from '../support/cube.js';

// Observation end (issue 11, item 7) and CLV without subscriptions (item 8), on hand-built
// tenants whose answers are worked out below.
const STORED = 'obs_stored'; // data_through set at import
const DERIVED = 'obs_derived'; // data through its latest event, a survey answer
const OLD = 'obs_1995'; // history before the year 2000
const SHOP = 'obs_shop'; // orders, no subscriptions
const LATE = 'obs_late'; // data_through set, with subscriptions recorded after it

let t: TestDatabase;
let cube: TestCube;
let nextId = 7_000_000_000;

async function customer(tenant: string, signup: string): Promise<number> {
  const id = nextId++;
  await t.db('customers').insert({
    id,
    tenant_id: tenant,
    signup_at: signup,
    plan: 'standard',
    segment: 'smb',
    country: 'US',
    acquisition_channel: 'organic',
  });
  return id;
}

async function subscriber(tenant: string, start: string, end: string | null): Promise<number> {
  const id = await customer(tenant, start);
  await t
    .db('subscriptions')
    .insert({ id: nextId++, tenant_id: tenant, customer_id: id, plan: 'standard', started_at: start, ended_at: end, mrr: 10 });
  return id;
}

async function order(tenant: string, customerId: number, at: string, amount: number): Promise<void> {
  await t.db('orders').insert({ id: nextId++, tenant_id: tenant, customer_id: customerId, ordered_at: at, amount });
}

/**
 * obs_stored, data through 2025-03-15 (stored), so observed until 2025-03-16T00:00Z:
 *   A 2025-01-10 → open    B 2025-01-20 → 2025-02-10    C 2025-02-05 → open
 *   and an order of A's on 2025-06-01, after the stored end (the stored value wins).
 * obs_derived: the same three customers, no stored end; its latest event is a survey answer on
 *   2025-04-20T08:00Z, so it is observed until 2025-04-21T00:00Z.
 * obs_1995: c1 1995-01-03 → open, c2 1995-01-10 → 1995-02-14, c3 1995-01-17 → 1995-04-30T00:00Z,
 *   c4 1995-01-24 → 1995-06-30T00:00Z (the latest event: observed until 1995-07-01), c5 1995-02-20 → open.
 * obs_late, data through 2025-03-15 (stored): L1 2025-01-10 → open, L2 2025-03-01 → 2025-04-10
 *   (an end after the data-through instant, so not seen yet), L3 2025-03-20 → open (a start after
 *   it, so not seen at all). L2 and L3 each also pay $10 a month.
 * obs_shop: no subscriptions. s1 orders $50 on 2024-01-01, $50 on 2024-07-01, $100 on 2025-01-01;
 *   s2 $200 on 2025-02-01; s3 $100 on 2025-03-01 and $100 on 2025-12-31T10:00Z (the latest
 *   event: observed until 2026-01-01); s4 never orders.
 */
async function seed(): Promise<void> {
  await t.db('tenants').insert([
    { id: STORED, name: STORED, business_model: 'b2b', data_through: '2025-03-15T00:00:00Z' },
    { id: DERIVED, name: DERIVED, business_model: 'b2b' },
    { id: OLD, name: OLD, business_model: 'b2c' },
    { id: SHOP, name: SHOP, business_model: 'b2c' },
    { id: LATE, name: LATE, business_model: 'b2b', data_through: '2025-03-15T00:00:00Z' },
  ]);
  await subscriber(LATE, '2025-01-10T12:00:00Z', null);
  await subscriber(LATE, '2025-03-01T00:00:00Z', '2025-04-10T00:00:00Z');
  await subscriber(LATE, '2025-03-20T00:00:00Z', null);
  for (const tenant of [STORED, DERIVED]) {
    const a = await subscriber(tenant, '2025-01-10T12:00:00Z', null);
    await subscriber(tenant, '2025-01-20T12:00:00Z', '2025-02-10T12:00:00Z');
    await subscriber(tenant, '2025-02-05T12:00:00Z', null);
    if (tenant === STORED) await order(STORED, a, '2025-06-01T12:00:00Z', 10);
    if (tenant === DERIVED) {
      await t.db('survey_responses').insert({
        id: nextId++,
        tenant_id: DERIVED,
        customer_id: a,
        kind: 'nps',
        score: 9,
        responded_at: '2025-04-20T08:00:00Z',
        touchpoint: 'onboarding',
      });
    }
  }
  await subscriber(OLD, '1995-01-03T12:00:00Z', null);
  await subscriber(OLD, '1995-01-10T12:00:00Z', '1995-02-14T12:00:00Z');
  await subscriber(OLD, '1995-01-17T12:00:00Z', '1995-04-30T00:00:00Z');
  await subscriber(OLD, '1995-01-24T12:00:00Z', '1995-06-30T00:00:00Z');
  await subscriber(OLD, '1995-02-20T12:00:00Z', null);

  const [s1, s2, s3] = [await customer(SHOP, '2023-12-01'), await customer(SHOP, '2025-01-15'), await customer(SHOP, '2025-02-01')];
  await customer(SHOP, '2025-05-01');
  await order(SHOP, s1, '2024-01-01T00:00:00Z', 50);
  await order(SHOP, s1, '2024-07-01T00:00:00Z', 50);
  await order(SHOP, s1, '2025-01-01T00:00:00Z', 100);
  await order(SHOP, s2, '2025-02-01T00:00:00Z', 200);
  await order(SHOP, s3, '2025-03-01T00:00:00Z', 100);
  await order(SHOP, s3, '2025-12-31T10:00:00Z', 100);
}

beforeAll(async () => {
  t = await createTestDatabase();
  await seed();
  cube = await startTestCube(t.url, { preAggregations: false });
});
afterAll(async () => {
  await cube?.stop();
  await t?.drop();
});

const num = (value: Row[string] | undefined) => (value === null || value === undefined ? null : Number(value));
const kpis = ['customers_at_start', 'customers_at_end', 'churn_rate', 'retention_rate'].map((m) => `customer_lifecycle.${m}`);

/** [period start, customers at start, at end, churn, retention] for every period of the range. */
async function lifecycle(tenant: string, granularity: string, from: string, to: string) {
  const rows = await cube.load(tenant, {
    measures: kpis,
    timeDimensions: [{ dimension: 'customer_lifecycle.date', granularity, dateRange: [from, to] }],
    order: { 'customer_lifecycle.date': 'asc' },
  });
  return rows.map((r) => [String(r[`customer_lifecycle.date.${granularity}`]).slice(0, 10), ...kpis.map((m) => num(r[m]))]);
}

/** [cohort month, age in months, retention %] of each cohort that signed up in the range. */
async function cohortTriangle(tenant: string, from: string, to: string) {
  const rows = await cube.load(tenant, {
    measures: ['cohort_retention.cohort_retention_rate'],
    dimensions: ['cohort_retention.months_since_signup'],
    timeDimensions: [{ dimension: 'cohort_retention.cohort_month', granularity: 'month', dateRange: [from, to] }],
    order: [
      ['cohort_retention.cohort_month', 'asc'],
      ['cohort_retention.months_since_signup', 'asc'],
    ],
  });
  return rows.map((r) => [
    String(r['cohort_retention.cohort_month.month']).slice(0, 7),
    num(r['cohort_retention.months_since_signup']),
    num(r['cohort_retention.cohort_retention_rate']),
  ]);
}

describe('period KPIs after the observation end are no data', () => {
  // Feb: A and B at the start, B lost, C new → churn 1/2, retention (2 − 1)/2. Mar: A and C
  // throughout → 0% and 100%, observed (to the 15th). April starts after the end: null.
  it('by month, with the end stored on the tenant', async () => {
    expect(await lifecycle(STORED, 'month', '2025-02-01', '2025-05-31')).toEqual([
      ['2025-02-01', 2, 2, 50, 50],
      ['2025-03-01', 2, 2, 0, 100],
      ['2025-04-01', null, null, null, null],
      ['2025-05-01', null, null, null, null],
    ]);
  });

  it('by day: the last observed day has its numbers, the next has none', async () => {
    expect(await lifecycle(STORED, 'day', '2025-03-15', '2025-03-16')).toEqual([
      ['2025-03-15', 2, 2, 0, 100],
      ['2025-03-16', null, null, null, null],
    ]);
  });

  it('counts no start or end recorded after the stored end', async () => {
    const measures = ['new_customers', 'lost_customers', 'customers_at_end'].map((m) => `customer_lifecycle.${m}`);
    const rows = await cube.load(LATE, {
      measures,
      timeDimensions: [{ dimension: 'customer_lifecycle.date', granularity: 'month', dateRange: ['2025-03-01', '2025-04-30'] }],
      order: { 'customer_lifecycle.date': 'asc' },
    });
    // March: L2 new (L3 starts after the 15th), nobody lost, L1 and L2 at the end. April is
    // after the end: no data, though L2's end and nothing else falls in it.
    expect(rows.map((r) => [String(r['customer_lifecycle.date.month']).slice(0, 10), ...measures.map((m) => num(r[m]))])).toEqual([
      ['2025-03-01', 1, 0, 2],
      ['2025-04-01', null, null, null],
    ]);
  });

  it('ends lifetimes and revenue at the stored end', async () => {
    const measures = ['customers', 'lost_customers', 'customer_years', 'subscription_revenue'].map((m) => `customer_value.${m}`);
    const [row] = await cube.load(LATE, { measures });
    // L1 and L2 only, both still active: L1 2025-01-10T12:00 → 2025-03-16 (64.5 days), L2
    // 2025-03-01 → 2025-03-16 (15 days), at $10 a month (a month is 365.25 / 12 days).
    expect(measures.map((m) => num(row![m]))).toEqual([
      2,
      0,
      expect.closeTo((64.5 + 15) / 365.25, 9),
      expect.closeTo((10 * 79.5 * 12) / 365.25, 9),
    ]);
  });

  it('from the latest event of any kind when none is stored', async () => {
    expect(await lifecycle(DERIVED, 'month', '2025-03-01', '2025-05-31')).toEqual([
      ['2025-03-01', 2, 2, 0, 100],
      ['2025-04-01', 2, 2, 0, 100],
      ['2025-05-01', null, null, null, null],
    ]);
  });

  it('the cohort triangle stops at the last month ended by the observation end', async () => {
    // January (A, B): B is gone by March 1. February (C). Observed until April 21: the months
    // ending March 1 and April 1 are complete, the one ending May 1 is not.
    expect(await cohortTriangle(DERIVED, '2025-01-01', '2025-02-28')).toEqual([
      ['2025-01', 0, 100],
      ['2025-01', 1, 50],
      ['2025-01', 2, 50],
      ['2025-02', 0, 100],
      ['2025-02', 1, 100],
    ]);
  });
});

describe('the same through the rollups', () => {
  let rolled: TestCube;
  beforeAll(async () => {
    rolled = await startTestCube(t.url);
  });
  afterAll(() => rolled?.stop());

  it('no data after the end, from the monthly lifecycle rollup', async () => {
    for (const [tenant, months] of [
      [STORED, ['2025-02-01', 50, '2025-03-01', 0, '2025-04-01', null, '2025-05-01', null]],
      [DERIVED, ['2025-02-01', 50, '2025-03-01', 0, '2025-04-01', 0, '2025-05-01', null]],
    ] as const) {
      const body = await rolled.loadBody(tenant, {
        measures: ['customer_health.churn_rate'],
        timeDimensions: [{ dimension: 'customer_health.lifecycle_date', granularity: 'month', dateRange: ['2025-02-01', '2025-05-31'] }],
        order: { 'customer_health.lifecycle_date': 'asc' },
      });
      expect(Object.keys(body.usedPreAggregations), tenant).not.toEqual([]);
      expect(
        body.data.flatMap((r) => [String(r['customer_health.lifecycle_date.month']).slice(0, 10), num(r['customer_health.churn_rate'])]),
        tenant,
      ).toEqual(months);
    }
  });
});

describe('history before 2000', () => {
  it("has its cohort triangle, up to the month its last day's event ends", async () => {
    // January's four: all active on Feb 1; c2 gone by Mar 1 (3 of 4); c3 ended Apr 30 (2 of 4
    // on May 1); c4 ended Jun 30, observed through that day, so the month ending Jul 1 is in
    // (1 of 4). February's c5 stays: ages 0–4.
    expect(await cohortTriangle(OLD, '1995-01-01', '1995-12-31')).toEqual([
      ['1995-01', 0, 100],
      ['1995-01', 1, 75],
      ['1995-01', 2, 75],
      ['1995-01', 3, 50],
      ['1995-01', 4, 50],
      ['1995-01', 5, 25],
      ...[0, 1, 2, 3, 4].map((age) => ['1995-02', age, 100]),
    ]);
  });

  it('has its churn by month, and no data after June 1995', async () => {
    // May: c1, c4, c5 at the start (c3 left Apr 30), none lost. June: c4 lost on the 30th.
    expect(await lifecycle(OLD, 'month', '1995-05-01', '1995-07-31')).toEqual([
      ['1995-05-01', 3, 3, 0, 100],
      ['1995-06-01', 3, 2, (100 * 1) / 3, (100 * 2) / 3],
      ['1995-07-01', null, null, null, null],
    ]);
  });
});

describe('lifetime value of a shop without subscriptions', () => {
  const measures = [
    'clv',
    'clv_subscription',
    'average_purchase_value',
    'purchase_frequency',
    'expected_lifespan_years',
    'customers',
    'lost_customers',
  ].map((m) => `customer_value.${m}`);

  it('estimates lifetimes from purchases: lost after 9 months without an order', async () => {
    const rows = await cube.load(SHOP, { measures, dimensions: ['customer_value.lifetime_basis'] });
    expect(rows).toHaveLength(1);
    const r = Object.fromEntries(Object.entries(rows[0]!).map(([k, v]) => [k.split('.')[1]!, k.endsWith('basis') ? v : num(v)]));
    // Observed until 2026-01-01; lost = last order before 2025-04-01: s1 (2025-01-01) and s2
    // (2025-02-01); s3 ordered in December; s4 never ordered, so is no customer of the shop.
    // Years: s1 2024-01-01 → 2025-01-01 (366 days), s2 0, s3 2025-03-01 → 2026-01-01 (306 days).
    const years = (366 + 0 + 306) / 365.25;
    expect(r).toMatchObject({ lifetime_basis: 'purchases', customers: 3, lost_customers: 2, average_purchase_value: 100 });
    expect(r.purchase_frequency).toBeCloseTo(6 / years, 9);
    expect(r.expected_lifespan_years).toBeCloseTo(years / 2, 9);
    // $600 of orders ÷ 6 orders × 6 orders ÷ years × years ÷ 2 lost = $300.
    expect(r.clv).toBeCloseTo(300, 9);
    expect(r.clv_subscription).toBeNull();
  });

  it('keeps subscription lifetimes for a tenant that has subscriptions', async () => {
    const [row] = await cube.load(STORED, { measures: ['customer_value.customers'], dimensions: ['customer_value.lifetime_basis'] });
    expect(row).toEqual({ 'customer_value.lifetime_basis': 'subscriptions', 'customer_value.customers': 3 });
  });
});

describe("a tenant's data-through day", () => {
  it('is its own, from the stored instant or its latest event', async () => {
    expect(await cube.load(STORED, { dimensions: ['tenants.data_through'] })).toEqual([
      { 'tenants.data_through': '2025-03-15T00:00:00.000' },
    ]);
    expect(await cube.load(DERIVED, { dimensions: ['tenants.data_through'] })).toEqual([
      { 'tenants.data_through': '2025-04-20T00:00:00.000' },
    ]);
  });
});

describe('the report', () => {
  const report = async (tenant: string, month: string) => {
    const client = new CubeClient(cube.cube.apiUrl, cube.token({ tenant }));
    const results = await buildKpiReport(client, month);
    return {
      results,
      byMeasure: new Map(results.map((r) => [r.measure, r])),
      text: formatReport(results, { tenant, month, dataThrough: await loadDataThrough(client), colour: false }),
    };
  };

  it("shows a shop's CLV from purchases and says which KPIs need subscriptions", async () => {
    const { byMeasure, text } = await report(SHOP, '2025-12');
    expect(byMeasure.get('customer_value.clv')!.value).toBeCloseTo(300, 9);
    for (const m of [
      'customer_lifecycle.churn_rate',
      'customer_lifecycle.retention_rate',
      'cohort_retention.cohort_retention_rate',
      'customer_value.clv_subscription',
    ]) {
      expect(byMeasure.get(m), m).toMatchObject({ value: null, missing: 'needs subscriptions' });
    }
    // Observed until 2026-01-01, from s3's order on 2025-12-31.
    expect(text).toContain('(data through 2025-12-31)');
    expect(text).toMatch(/Customer lifetime value\s+all time\s+\$300\.00/);
    expect(text).toMatch(/Churn rate\s+2025-12\s+needs subscriptions/);
  });

  it('says no data, not 0%, for a month after the observation end of a tenant with subscriptions', async () => {
    const { byMeasure, text } = await report(STORED, '2025-04');
    expect(byMeasure.get('customer_lifecycle.churn_rate')).toMatchObject({ value: null });
    expect(byMeasure.get('customer_lifecycle.churn_rate')!.missing).toBeUndefined();
    expect(text).toMatch(/Churn rate\s+2025-04\s+no data/);
    expect(text).toContain('KPI report for tenant obs_stored, 2025-04 (data through 2025-03-15)');
  });
});
