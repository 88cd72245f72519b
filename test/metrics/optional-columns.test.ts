import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CubeClient } from '../../src/cube/client.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startTestCube, type Row, type TestCube } from '../support/cube.js';

// A source without country, segment, channel, plan or MRR, beside a complete one that uses the
// same customer ids: what the model makes of the missing values, and that the ids never meet.
const BARE = 'hand_bare';
const FULL = 'hand_full';

let t: TestDatabase;
let cube: TestCube;

/**
 * hand_bare (no optional column anywhere), every customer signed up 2025-01-01:
 *   C-1 open    C-2 ended 2025-03-15    C-3 open
 *   orders: C-1 $10 and $30 in February. One web session without landing page, channel or device.
 * hand_full, the same ids with every column: C-1 and C-2, pro / smb / DE / organic, MRR 20, open;
 *   orders: C-1 $100 in February.
 */
async function seed(): Promise<void> {
  const db = t.db;
  await db('tenants').insert([BARE, FULL].map((id) => ({ id, name: id, business_model: 'b2b' })));
  const start = '2025-01-01T00:00:00Z';
  await db('customers').insert([
    ...['C-1', 'C-2', 'C-3'].map((id) => ({ id, tenant_id: BARE, signup_at: start })),
    ...['C-1', 'C-2'].map((id) => ({
      id,
      tenant_id: FULL,
      signup_at: start,
      plan: 'pro',
      segment: 'smb',
      country: 'DE',
      acquisition_channel: 'organic',
    })),
  ]);
  await db('subscriptions').insert([
    { id: 'S-1', tenant_id: BARE, customer_id: 'C-1', started_at: start },
    { id: 'S-2', tenant_id: BARE, customer_id: 'C-2', started_at: start, ended_at: '2025-03-15T00:00:00Z' },
    { id: 'S-3', tenant_id: BARE, customer_id: 'C-3', started_at: start },
    { id: 'S-1', tenant_id: FULL, customer_id: 'C-1', started_at: start, plan: 'pro', mrr: 20 },
    { id: 'S-2', tenant_id: FULL, customer_id: 'C-2', started_at: start, plan: 'pro', mrr: 20 },
  ]);
  await db('orders').insert([
    { id: 'O-1', tenant_id: BARE, customer_id: 'C-1', ordered_at: '2025-02-03T10:00:00Z', amount: 10 },
    { id: 'O-2', tenant_id: BARE, customer_id: 'C-1', ordered_at: '2025-02-10T10:00:00Z', amount: 30 },
    { id: 'O-1', tenant_id: FULL, customer_id: 'C-1', ordered_at: '2025-02-03T10:00:00Z', amount: 100 },
  ]);
  await db('web_sessions').insert({
    id: 'W-1',
    tenant_id: BARE,
    visitor_id: 'C-1',
    customer_id: 'C-1',
    started_at: '2025-02-03T09:00:00Z',
    duration_seconds: 60,
    pageviews: 2,
    converted: true,
  });
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
const february = { dimension: 'orders.ordered_at', dateRange: ['2025-02-01', '2025-02-28'] as [string, string] };

describe('a tenant loaded without the optional columns', () => {
  it("shows each missing profile value as 'unknown'", async () => {
    const rows = await cube.load(BARE, {
      measures: ['customers.signups'],
      dimensions: ['customers.plan', 'customers.segment', 'customers.country', 'customers.acquisition_channel'],
    });
    expect(rows).toEqual([
      {
        'customers.plan': 'unknown',
        'customers.segment': 'unknown',
        'customers.country': 'unknown',
        'customers.acquisition_channel': 'unknown',
        'customers.signups': 3,
      },
    ]);
    const sessions = await cube.load(BARE, {
      measures: ['web_sessions.sessions'],
      dimensions: ['web_sessions.landing_page', 'web_sessions.channel', 'web_sessions.device'],
    });
    expect(sessions.map((r) => [r['web_sessions.landing_page'], r['web_sessions.channel'], r['web_sessions.device']])).toEqual([
      ['unknown', 'unknown', 'unknown'],
    ]);
  });

  it("computes churn as for any tenant, by an 'unknown' plan too: 1 of 3 lost in March 2025 → 33.33 %", async () => {
    const query = (dimensions: string[]) => ({
      measures: ['customer_lifecycle.churn_rate'],
      dimensions,
      timeDimensions: [{ dimension: 'customer_lifecycle.date', granularity: 'month', dateRange: ['2025-03-01', '2025-03-31'] }],
    });
    const [total] = await cube.load(BARE, query([]));
    expect(num(total!['customer_lifecycle.churn_rate'])).toBeCloseTo(100 / 3, 6);
    const byPlan = await cube.load(BARE, query(['customers.plan']));
    expect(byPlan.map((r) => [r['customers.plan'], num(r['customer_lifecycle.churn_rate'])?.toFixed(2)])).toEqual([['unknown', '33.33']]);
  });

  it("serves 'unknown' from the rollups as from the raw tables, through the dashboards' view", async () => {
    const rolled = await startTestCube(t.url);
    try {
      const body = await rolled.loadBody(BARE, {
        measures: ['customer_health.churn_rate'],
        dimensions: ['customer_health.plan'],
        timeDimensions: [{ dimension: 'customer_health.lifecycle_date', granularity: 'month', dateRange: ['2025-03-01', '2025-03-31'] }],
      });
      expect(Object.keys(body.usedPreAggregations).length).toBeGreaterThan(0);
      expect(body.data.map((r) => [r['customer_health.plan'], num(r['customer_health.churn_rate'])?.toFixed(2)])).toEqual([
        ['unknown', '33.33'],
      ]);
    } finally {
      await rolled.stop();
    }
  });

  it('makes up no MRR: subscription revenue and the subscription CLV are null, the order-based CLV is there', async () => {
    const [row] = await cube.load(BARE, {
      measures: ['customer_value.subscription_revenue', 'customer_value.clv_subscription', 'customer_value.clv'],
    });
    expect(num(row!['customer_value.subscription_revenue'])).toBeNull();
    expect(num(row!['customer_value.clv_subscription'])).toBeNull();
    // $40 of orders, 1 customer lost: 20 × (2 / customer-years) × (customer-years / 1) = 40.
    expect(num(row!['customer_value.clv'])).toBeCloseTo(40, 6);
  });
});

describe('MRR known for only some subscriptions', () => {
  // hand_partial, observed through 2025-12-31 (so until 2026-01-01), every customer from 2025-01-01:
  //   C-1 MRR 30, open: 365 days, revenue 30 × 12 × 365 / 365.25.
  //   C-2 MRR unknown, ended 2025-07-02 (182 days): revenue unknown, lost.
  //   C-3 MRR 10 until 2025-04-01, then MRR unknown, open (365 days): revenue unknown.
  // ARPU counts only C-1's time: 30 a month. Churn counts everyone: 1 lost in 912 customer-days,
  // so CLV = 30 ÷ (1 / (912 / 365.25 × 12)) = 360 × 912 / 365.25.
  const PARTIAL = 'hand_partial';
  beforeAll(async () => {
    const start = '2025-01-01T00:00:00Z';
    await t.db('tenants').insert({ id: PARTIAL, name: PARTIAL, business_model: 'b2b', data_through: '2025-12-31T00:00:00Z' });
    await t.db('customers').insert(['C-1', 'C-2', 'C-3'].map((id) => ({ id, tenant_id: PARTIAL, signup_at: start })));
    await t.db('subscriptions').insert([
      { id: 'S-1', tenant_id: PARTIAL, customer_id: 'C-1', started_at: start, mrr: 30 },
      { id: 'S-2', tenant_id: PARTIAL, customer_id: 'C-2', started_at: start, ended_at: '2025-07-02T00:00:00Z' },
      { id: 'S-3', tenant_id: PARTIAL, customer_id: 'C-3', started_at: start, ended_at: '2025-04-01T00:00:00Z', mrr: 10 },
      { id: 'S-4', tenant_id: PARTIAL, customer_id: 'C-3', started_at: '2025-04-01T00:00:00Z' },
    ]);
  });

  it("takes ARPU over the customers whose MRR is known, not their revenue over everyone's time", async () => {
    const [row] = await cube.load(PARTIAL, {
      measures: ['customer_value.subscription_revenue', 'customer_value.arpu_monthly', 'customer_value.clv_subscription'],
    });
    expect(num(row!['customer_value.subscription_revenue'])).toBeCloseTo((30 * 12 * 365) / 365.25, 6);
    expect(num(row!['customer_value.arpu_monthly'])).toBeCloseTo(30, 6);
    expect(num(row!['customer_value.clv_subscription'])).toBeCloseTo((360 * 912) / 365.25, 4);
  });
});

describe("two tenants' customers with the same source ids", () => {
  it("never meet: each tenant's orders join its own C-1", async () => {
    const admin = new CubeClient(cube.cube.apiUrl, cube.token({ admin: true }));
    const { data } = (await admin.loadResult({
      measures: ['orders.revenue'],
      dimensions: ['orders.tenant_id', 'customers.plan'],
      timeDimensions: [february],
      order: { 'orders.tenant_id': 'asc' },
    })) as { data: Row[] };
    expect(data.map((r) => [r['orders.tenant_id'], r['customers.plan'], num(r['orders.revenue'])])).toEqual([
      [BARE, 'unknown', 40],
      [FULL, 'pro', 100],
    ]);
  });

  it('count as two purchasing customers across tenants, not one "C-1"', async () => {
    const admin = new CubeClient(cube.cube.apiUrl, cube.token({ admin: true }));
    const { data } = (await admin.loadResult({ measures: ['orders.purchasing_customers'], timeDimensions: [february] })) as {
      data: Row[];
    };
    expect(num(data[0]!['orders.purchasing_customers'])).toBe(2);
  });
});
