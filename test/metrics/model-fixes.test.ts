import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetaCube } from '@engagement/contract';
import { CubeClient } from '../../src/cube/client.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startTestCube, type Row, type TestCube } from '../support/cube.js';

// Three wrong answers of issue 9, each on a hand-built tenant whose answers are worked out below.
const LIFECYCLE = 'hand_lifecycle';
const WEB = 'hand_web';
const OTHER = 'hand_other';

let t: TestDatabase;
let cube: TestCube;
let meta: MetaCube[];

/**
 * hand_lifecycle, five customers in 2025:
 *   A pro  2025-02-10 → open        B pro  2025-03-05 → 2025-05-20
 *   C free 2025-04-15 → open        D free 2025-08-01 → 2025-08-20
 *   E pro  2025-11-30 → open
 * hand_web, sessions (visitor, customer or anonymous, pageviews, converted), in time order:
 *   s1 v1 P1(pro) 1 no    s2 v1 P1(pro) 3 yes   s3 v2 P2(free) 1 no
 *   s4 v3 anon    1 no    s5 v3 anon    2 yes   s6 v4 anon     5 no
 *   P1's subscription has ended (churned), P2's is open.
 * hand_other has a pro customer with two sessions and one anonymous session, to show that none of
 * them reach hand_web's answers.
 */
async function seed(): Promise<void> {
  const db = t.db;
  await db('tenants').insert([LIFECYCLE, WEB, OTHER].map((id) => ({ id, name: id, business_model: 'b2b' })));
  let id = 8_000_000_000;
  const customer = async (tenant: string, plan: string, start: string, end: string | null) => {
    const customerId = id++;
    await db('customers').insert({
      id: customerId,
      tenant_id: tenant,
      plan,
      signup_at: start,
      segment: 'smb',
      country: 'US',
      acquisition_channel: 'organic',
    });
    await db('subscriptions').insert({
      id: id++,
      tenant_id: tenant,
      customer_id: customerId,
      plan,
      started_at: start,
      ended_at: end,
      mrr: 10,
    });
    return customerId;
  };
  await customer(LIFECYCLE, 'pro', '2025-02-10T12:00:00Z', null);
  await customer(LIFECYCLE, 'pro', '2025-03-05T12:00:00Z', '2025-05-20T12:00:00Z');
  await customer(LIFECYCLE, 'free', '2025-04-15T12:00:00Z', null);
  await customer(LIFECYCLE, 'free', '2025-08-01T12:00:00Z', '2025-08-20T12:00:00Z');
  await customer(LIFECYCLE, 'pro', '2025-11-30T12:00:00Z', null);

  const p1 = await customer(WEB, 'pro', '2025-01-01T00:00:00Z', '2025-06-01T00:00:00Z');
  const p2 = await customer(WEB, 'free', '2025-01-01T00:00:00Z', null);
  const o1 = await customer(OTHER, 'pro', '2025-01-01T00:00:00Z', null);
  const session = (tenant: string, visitor: number, customerId: number | null, pageviews: number, converted: boolean, day: number) => ({
    id: id++,
    tenant_id: tenant,
    visitor_id: visitor,
    customer_id: customerId,
    started_at: `2025-03-${String(day).padStart(2, '0')}T12:00:00Z`,
    duration_seconds: 60,
    pageviews,
    landing_page: '/',
    channel: 'direct',
    referrer: null,
    device: 'desktop',
    converted,
  });
  await db('web_sessions').insert([
    session(WEB, 1, p1, 1, false, 1),
    session(WEB, 1, p1, 3, true, 2),
    session(WEB, 2, p2, 1, false, 3),
    session(WEB, 3, null, 1, false, 4),
    session(WEB, 3, null, 2, true, 5),
    session(WEB, 4, null, 5, false, 6),
    session(OTHER, 11, o1, 1, false, 1),
    session(OTHER, 11, o1, 1, true, 2),
    session(OTHER, 12, null, 1, false, 3),
  ]);
}

beforeAll(async () => {
  t = await createTestDatabase();
  await seed();
  cube = await startTestCube(t.url, { preAggregations: false });
  meta = await new CubeClient(cube.cube.apiUrl, cube.token({ admin: true })).meta();
});
afterAll(async () => {
  await cube?.stop();
  await t?.drop();
});

const num = (value: Row[string] | undefined) => (value === null || value === undefined ? null : Number(value));

describe('a dimension from a left-joined cube keeps the root rows it has no match for', () => {
  it("counts anonymous sessions under a null plan, and no other tenant's", async () => {
    const rows = await cube.load(WEB, {
      measures: ['web_sessions.sessions'],
      dimensions: ['customers.plan'],
      order: { 'customers.plan': 'asc' },
    });
    expect(rows.map((r) => [r['customers.plan'], num(r['web_sessions.sessions'])])).toEqual([
      ['free', 1],
      ['pro', 2],
      [null, 3],
    ]);
    const [total] = await cube.load(WEB, { measures: ['web_sessions.sessions'] });
    expect(num(total!['web_sessions.sessions'])).toBe(6);
  });

  it('relies on tenant_id being NOT NULL in every table (a NULL one means a missed join)', async () => {
    const columns: { table_name: string; is_nullable: string }[] = await t
      .db('information_schema.columns')
      .where({ table_schema: 'public', column_name: 'tenant_id' })
      .select('table_name', 'is_nullable');
    expect(columns.length).toBeGreaterThanOrEqual(8);
    expect(columns.filter((c) => c.is_nullable !== 'NO').map((c) => c.table_name)).toEqual([]);
  });

  it('keeps them through a filter on the joined cube and through the view', async () => {
    const pro = await cube.load(WEB, {
      measures: ['web_sessions.sessions'],
      filters: [{ member: 'customers.plan', operator: 'equals', values: ['pro'] }],
    });
    expect(pro.map((r) => num(r['web_sessions.sessions']))).toEqual([2]);
    const view = await cube.load(WEB, {
      measures: ['web_engagement.sessions'],
      dimensions: ['web_engagement.plan'],
      order: { 'web_engagement.plan': 'asc' },
    });
    expect(view.map((r) => [r['web_engagement.plan'], num(r['web_engagement.sessions'])])).toEqual([
      ['free', 1],
      ['pro', 2],
      [null, 3],
    ]);
  });

  it('gives an admin every tenant, anonymous sessions included', async () => {
    const token = cube.token({ admin: true });
    const body = await new CubeClient(cube.cube.apiUrl, token).loadResult({
      measures: ['web_sessions.sessions'],
      dimensions: ['web_sessions.tenant_id', 'customers.plan'],
      filters: [{ member: 'web_sessions.tenant_id', operator: 'equals', values: [WEB, OTHER] }],
      order: [
        ['web_sessions.tenant_id', 'asc'],
        ['customers.plan', 'asc'],
      ],
    });
    expect((body.data as Row[]).map((r) => [r['web_sessions.tenant_id'], r['customers.plan'], num(r['web_sessions.sessions'])])).toEqual([
      [OTHER, 'pro', 2],
      [OTHER, null, 1],
      [WEB, 'free', 1],
      [WEB, 'pro', 2],
      [WEB, null, 3],
    ]);
  });
});

describe('rolling-window measures keep their first period when a dimension is added', () => {
  const lifecycle = ['new_customers', 'lost_customers', 'customers_at_start', 'customers_at_end'].map((m) => `customer_lifecycle.${m}`);
  const byPeriod = async (granularity: string, dimensions: string[]) => {
    const rows = await cube.load(LIFECYCLE, {
      measures: lifecycle,
      dimensions,
      timeDimensions: [{ dimension: 'customer_lifecycle.date', granularity, dateRange: ['2025-01-01', '2025-12-31'] }],
      order: [[`customer_lifecycle.date`, 'asc'], ...dimensions.map((d) => [d, 'asc'])],
    });
    // [period start, ...dimension values, new, lost, at start, at end]; a window with no rows is null.
    return rows.map((r) => [
      String(r[`customer_lifecycle.date.${granularity}`]).slice(0, 10),
      ...dimensions.map((d) => r[d]),
      ...lifecycle.map((m) => num(r[m])),
    ]);
  };

  // Quarters: Q1 A and B start; Q2 C starts, B ends; Q3 D starts and ends; Q4 E starts.
  const quarters = [
    ['2025-01-01', 2, 0, null, 2],
    ['2025-04-01', 1, 1, 2, 2],
    ['2025-07-01', 1, 1, 2, 2],
    ['2025-10-01', 1, 0, 2, 3],
  ];
  // Every month has a row, quiet ones too: Feb A, Mar B, Apr C, May B ends, Aug D starts and
  // ends, Nov E. January has nobody yet; December starts after the observation end (E's start).
  const months = [
    ['2025-01-01', 0, 0, null, null],
    ['2025-02-01', 1, 0, null, 1],
    ['2025-03-01', 1, 0, 1, 2],
    ['2025-04-01', 1, 0, 2, 3],
    ['2025-05-01', 0, 1, 3, 2],
    ['2025-06-01', 0, 0, 2, 2],
    ['2025-07-01', 0, 0, 2, 2],
    ['2025-08-01', 1, 1, 2, 2],
    ['2025-09-01', 0, 0, 2, 2],
    ['2025-10-01', 0, 0, 2, 2],
    ['2025-11-01', 1, 0, 2, 3],
    ['2025-12-01', null, null, null, null],
  ];
  const withTenant = (rows: (string | number | null)[][]) => rows.map(([period, ...rest]) => [period, LIFECYCLE, ...rest]);

  it('by quarter: 5 new customers with or without tenant_id', async () => {
    expect(await byPeriod('quarter', [])).toEqual(quarters);
    expect(await byPeriod('quarter', ['customer_lifecycle.tenant_id'])).toEqual(withTenant(quarters));
  });

  it('by month: 5 new customers with or without tenant_id', async () => {
    expect(await byPeriod('month', [])).toEqual(months);
    expect(await byPeriod('month', ['customer_lifecycle.tenant_id'])).toEqual(withTenant(months));
  });

  it("by quarter and plan: each plan's first quarter is there", async () => {
    // pro: Q1 A, B start; Q2 B ends; Q3 nothing happens (a quiet period keeps its row); Q4 E
    // starts. free: nobody in Q1; Q2 C starts (nothing before it, so no count at its start); Q3
    // D starts and ends; Q4 quiet.
    expect(await byPeriod('quarter', ['customers.plan'])).toEqual([
      ['2025-01-01', 'free', 0, 0, null, null],
      ['2025-01-01', 'pro', 2, 0, null, 2],
      ['2025-04-01', 'free', 1, 0, null, 1],
      ['2025-04-01', 'pro', 0, 1, 2, 1],
      ['2025-07-01', 'free', 1, 1, 1, 1],
      ['2025-07-01', 'pro', 0, 0, 1, 1],
      ['2025-10-01', 'free', 0, 0, 1, 1],
      ['2025-10-01', 'pro', 1, 0, 1, 2],
    ]);
  });
});

describe('boolean dimensions can be filtered on', () => {
  const filtered = async (tenant: string, measure: string, dimension: string, value: boolean) => {
    const [row] = await cube.load(tenant, {
      measures: [measure],
      filters: [{ member: dimension, operator: 'equals', values: [String(value)] }],
    });
    return num(row![measure]);
  };

  it('web_sessions.bounced, web_sessions.converted, returning_visitors.is_returning, customer_value.churned', async () => {
    expect([
      await filtered(WEB, 'web_sessions.sessions', 'web_sessions.bounced', true),
      await filtered(WEB, 'web_sessions.sessions', 'web_sessions.bounced', false),
    ]).toEqual([3, 3]);
    expect([
      await filtered(WEB, 'web_sessions.sessions', 'web_sessions.converted', true),
      await filtered(WEB, 'web_sessions.sessions', 'web_sessions.converted', false),
    ]).toEqual([2, 4]);
    // s2 (v1) and s5 (v3) are returning sessions; every visitor has a first one.
    expect([
      await filtered(WEB, 'returning_visitors.visitors', 'returning_visitors.is_returning', true),
      await filtered(WEB, 'returning_visitors.visitors', 'returning_visitors.is_returning', false),
    ]).toEqual([2, 4]);
    expect([
      await filtered(WEB, 'customer_value.customers', 'customer_value.churned', true),
      await filtered(WEB, 'customer_value.customers', 'customer_value.churned', false),
    ]).toEqual([1, 1]);
  });

  it('every boolean dimension of the model, in every cube and view, answers a filter', async () => {
    const booleans = meta.flatMap((c) =>
      c.dimensions
        .filter((d) => (d as { type?: string }).type === 'boolean')
        .map((d) => ({ dimension: d.name, measure: c.measures[0]!.name })),
    );
    expect(booleans.map((b) => b.dimension).sort()).toEqual([
      'churn_risk.at_risk',
      'cohort_retention_forecast.observed',
      'customer_predictions.likely_alive',
      'customer_value.churned',
      'returning_visitors.is_returning',
      'web_sessions.bounced',
      'web_sessions.converted',
    ]);
    for (const { dimension, measure } of booleans) {
      for (const value of ['true', 'false']) {
        const body = await new CubeClient(cube.cube.apiUrl, cube.token({ tenant: WEB })).loadResult({
          measures: [measure],
          filters: [{ member: dimension, operator: 'equals', values: [value] }],
        });
        expect(body.data, `${dimension} = ${value}`).toHaveLength(1);
      }
    }
  });
});

describe('a hidden building-block cube', () => {
  it('is not part of the API: its members are unknown, a 400, not the 500 Cube 0.35.81 gives', async () => {
    await expect(cube.load(WEB, { dimensions: ['customer_spans.tenant_id'] })).rejects.toThrow(
      /Cube 400: Invalid query: dimensions\[0\]: cube or view "customer_spans" not found/,
    );
  });
});
