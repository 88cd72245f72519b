import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CubeClient } from '../../src/cube/client.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startTestCube, type Row, type TestCube } from '../support/cube.js';

// Churn and retention read the customer spans once per query (src/cube/one-pass-rolling-windows.ts),
// and each running total still stops at its own edge of the period.
const TENANT = 'one_pass';

let t: TestDatabase;
let cube: TestCube;

/**
 * one_pass, five customers in 2025 (data through 2025-11-30, so 2026 has no data):
 *   A pro  2025-02-10 → open        B pro  2025-03-05 → 2025-05-20
 *   C free 2025-04-15 → open        D free 2025-08-01 → 2025-08-20
 *   E pro  2025-11-30 → open
 */
async function seed(): Promise<void> {
  await t.db('tenants').insert({ id: TENANT, name: TENANT, business_model: 'b2b' });
  const spans: [string, string, string | null][] = [
    ['pro', '2025-02-10T12:00:00Z', null],
    ['pro', '2025-03-05T12:00:00Z', '2025-05-20T12:00:00Z'],
    ['free', '2025-04-15T12:00:00Z', null],
    ['free', '2025-08-01T12:00:00Z', '2025-08-20T12:00:00Z'],
    ['pro', '2025-11-30T12:00:00Z', null],
  ];
  for (const [i, [plan, start, end]] of spans.entries()) {
    const common = { tenant_id: TENANT, id: `C${i}` };
    await t.db('customers').insert({ ...common, plan, signup_at: start, segment: 'smb', country: 'US', acquisition_channel: 'organic' });
    await t.db('subscriptions').insert({ ...common, id: `S${i}`, customer_id: `C${i}`, plan, started_at: start, ended_at: end, mrr: 10 });
  }
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

const byQuarter = (measures: string[], dimensions: string[] = []) => ({
  measures,
  dimensions,
  timeDimensions: [{ dimension: 'customer_health.lifecycle_date', granularity: 'quarter', dateRange: ['2025-01-01', '2026-03-31'] }],
  order: { 'customer_health.lifecycle_date': 'asc', ...Object.fromEntries(dimensions.map((d) => [d, 'asc'])) },
});

/** How many times Cube's SQL for the query computes the customer spans from subscriptions. */
async function spanScans(query: Record<string, unknown>): Promise<number> {
  const client = new CubeClient(cube.cube.apiUrl, cube.token({ tenant: TENANT }));
  const {
    sql: [sql],
  } = await client.sqlWithAliases(query as Parameters<CubeClient['sqlWithAliases']>[0]);
  return sql.match(/FROM subscriptions s JOIN/g)?.length ?? 0;
}

const value = (row: Row, member: string) => (row[member] === null ? null : Number(row[member]));

describe('churn and retention from one pass over the customer spans', () => {
  it('reads the spans once, with or without a breakdown (Cube 0.35 alone reads them once per running total)', async () => {
    expect(await spanScans(byQuarter(['customer_health.churn_rate']))).toBe(1);
    expect(await spanScans(byQuarter(['customer_health.retention_rate']))).toBe(1);
    expect(await spanScans(byQuarter(['customer_health.churn_rate', 'customer_health.retention_rate'], ['customer_health.plan']))).toBe(1);
    const series = ['churn_rate', 'retention_rate', 'customers_at_start', 'customers_at_end', 'new_customers', 'lost_customers'];
    expect(
      await spanScans({
        measures: series.map((m) => `customer_lifecycle.${m}`),
        dimensions: ['customer_lifecycle.tenant_id'],
        timeDimensions: [{ dimension: 'customer_lifecycle.date', granularity: 'month', dateRange: ['2025-01-01', '2025-12-31'] }],
      }),
    ).toBe(1);
  });

  // Q1: nothing before it (no count, as Cube sums no rows). Q2: A, B at the start, B lost: 50%. Q3: A, C at the start, D started
  // and left in it (lost): 50%. Q4: A, C, nobody lost: 0%. 2026 Q1 starts after the data: no data.
  it('gives each quarter the customers at its own start and the losses inside it', async () => {
    const rows = await cube.load(
      TENANT,
      byQuarter(['customer_health.churn_rate', 'customer_health.retention_rate', 'customer_health.customers_at_start']),
    );
    expect(
      rows.map((r) => [
        value(r, 'customer_health.customers_at_start'),
        value(r, 'customer_health.churn_rate'),
        value(r, 'customer_health.retention_rate'),
      ]),
    ).toEqual([
      [null, null, null],
      [2, 50, 50],
      [2, 50, 50],
      [2, 0, 100],
      [null, null, null],
    ]);
  });

  // By plan, Q2: pro A, B at the start, B lost (50%); free nothing before it. Q3: pro A, none lost (0%);
  // free C at the start, D lost (100%).
  it('keeps each plan to its own customers', async () => {
    const rows = await cube.load(
      TENANT,
      byQuarter(['customer_health.churn_rate', 'customer_health.customers_at_start'], ['customer_health.plan']),
    );
    const quarter = (start: string) =>
      rows
        .filter((r) => String(r['customer_health.lifecycle_date.quarter']).startsWith(start))
        .map((r) => [r['customer_health.plan'], value(r, 'customer_health.customers_at_start'), value(r, 'customer_health.churn_rate')]);
    expect(quarter('2025-04-01')).toEqual([
      ['free', null, null],
      ['pro', 2, 50],
    ]);
    expect(quarter('2025-07-01')).toEqual([
      ['free', 1, 100],
      ['pro', 1, 0],
    ]);
  });
});
