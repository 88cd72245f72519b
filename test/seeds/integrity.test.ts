import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedWarehouse } from '../../seeds/index.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { rowCounts, schemaObjects, seededTables, UNTIL } from './helpers.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t?.drop());

async function timeBounds(db: TestDatabase['db']): Promise<{ column: string; min: Date; max: Date }[]> {
  const { rows: columns } = await db.raw(
    `SELECT table_name, column_name, data_type FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name = ANY(?) AND data_type IN ('timestamp with time zone', 'date')
        -- Not generated: the observation end is derived from the data unless an import sets it.
        AND (table_name, column_name) <> ('tenants', 'data_through')`,
    [seededTables],
  );
  const bounds = [];
  for (const { table_name: table, column_name: column, data_type: type } of columns) {
    // A date is the UTC day it names, whatever the server's time zone.
    const asTime = (sql: string) => (type === 'date' ? `(${sql})::timestamp AT TIME ZONE 'UTC'` : sql);
    const { rows } = await db.raw(`SELECT ${asTime(`min(${column})`)} AS min, ${asTime(`max(${column})`)} AS max FROM ${table}`);
    bounds.push({ column: `${table}.${column}`, min: rows[0].min, max: rows[0].max });
  }
  return bounds;
}

describe('generated data', () => {
  it.each([
    { customers: 2000, seed: 5, until: UNTIL, months: 24 },
    // An end that is not midnight, with milliseconds, and a short history.
    { customers: 300, seed: 6, until: new Date('2026-05-17T13:45:30.500Z'), months: 3 },
  ])('lies within [until − months, until): $customers customers, until $until', async (options) => {
    await seedWarehouse(t.url, { ...options, reset: true });
    const start = new Date(options.until);
    start.setUTCMonth(start.getUTCMonth() - options.months);
    const bounds = await timeBounds(t.db);
    expect(bounds).toHaveLength(15);
    expect(await t.db('tenants').whereNotNull('data_through').count({ n: '*' }).first()).toEqual({ n: 0 });
    for (const { column, min, max } of bounds) {
      expect(max.getTime(), column).toBeLessThan(options.until.getTime());
      // Dates are whole days: the first one may begin before a start that is not midnight.
      expect(min.getTime(), column).toBeGreaterThanOrEqual(
        start.getTime() - (['campaign_stats.day', 'social_account_days.day'].includes(column) ? 86_400_000 : 0),
      );
    }
  });

  it('links each customer to one subscription from signup, open exactly when still active', async () => {
    await seedWarehouse(t.url, { customers: 2000, seed: 5, until: UNTIL, reset: true });
    const { rows } = await t.db.raw(
      `
      SELECT count(*)::int AS customers,
             count(*) FILTER (WHERE s.started_at = c.signup_at AND s.tenant_id = c.tenant_id AND s.plan = c.plan)::int AS matching,
             count(*) FILTER (WHERE s.ended_at IS NULL)::int AS open,
             count(*) FILTER (WHERE s.ended_at IS NOT NULL AND s.ended_at < ?)::int AS ended
        FROM customers c JOIN subscriptions s ON s.tenant_id = c.tenant_id AND s.customer_id = c.id`,
      [UNTIL],
    );
    expect(rows[0].customers).toBe(2000);
    expect(rows[0].matching).toBe(2000);
    expect(rows[0].open + rows[0].ended).toBe(2000);
    expect(rows[0].open).toBeGreaterThan(0);
    expect(rows[0].ended).toBeGreaterThan(0);
  });

  it("gives ids as a source would, per tenant (every tenant has a C-1), and uses a customer's id as their visitor id", async () => {
    const { rows: firsts } = await t.db.raw(
      `SELECT tenant_id, min(id) AS id FROM customers WHERE id = 'C-1' GROUP BY tenant_id ORDER BY 1`,
    );
    expect(firsts.map((r: { id: string }) => r.id)).toEqual(['C-1', 'C-1', 'C-1']);
    const { rows } = await t.db.raw(`
      SELECT count(*) FILTER (WHERE customer_id IS NOT NULL AND visitor_id <> customer_id)::int AS mismatched,
             count(*) FILTER (WHERE customer_id IS NULL AND visitor_id LIKE 'A-%')::int AS anonymous,
             count(*) FILTER (WHERE customer_id IS NULL AND visitor_id LIKE 'C-%')::int AS before_signup,
             count(*) FILTER (WHERE customer_id IS NULL AND visitor_id LIKE 'C-%' AND NOT EXISTS (
               SELECT 1 FROM customers c WHERE c.tenant_id = w.tenant_id AND c.id = w.visitor_id))::int AS unknown_customer
        FROM web_sessions w`);
    expect(rows[0].unknown_customer).toBe(0);
    expect(rows[0].mismatched).toBe(0);
    expect(rows[0].anonymous).toBeGreaterThan(2000);
    expect(rows[0].before_signup).toBeGreaterThan(0);
  });

  it('keeps customer fields in their vocabularies', async () => {
    const values = async (column: string) => (await t.db('customers').distinct(column).orderBy(column).pluck(column)) as string[];
    expect(await values('acquisition_channel')).toEqual(['direct', 'email', 'organic', 'paid_search', 'referral', 'social']);
    expect((await values('country')).every((c) => /^[A-Z]{2}$/.test(c))).toBe(true);
    expect(await values('segment')).toEqual(expect.arrayContaining(['smb', 'mid_market', 'enterprise', 'individual', 'family', 'retail']));
    expect(await t.db('tenants').orderBy('id').select('id', 'business_model')).toEqual([
      { id: 'acme', business_model: 'b2b' },
      { id: 'lumen', business_model: 'b2c' },
      { id: 'northwind', business_model: 'b2c' },
    ]);
  });
});

describe('a load that fails', () => {
  it('leaves the warehouse as it was, constraints and indexes included', async () => {
    await t.db.raw('TRUNCATE tenants CASCADE');
    // A rule the generator knowingly breaks: tablets do visit.
    await t.db.raw(`ALTER TABLE web_sessions ADD CONSTRAINT test_no_tablets CHECK (device <> 'tablet')`);
    const schema = await schemaObjects(t.db);
    await expect(seedWarehouse(t.url, { customers: 500, seed: 1, until: UNTIL })).rejects.toThrow(/test_no_tablets/);
    expect(Object.values(await rowCounts(t.db)).every((n) => n === 0)).toBe(true);
    expect(await schemaObjects(t.db)).toEqual(schema);

    await t.db.raw('ALTER TABLE web_sessions DROP CONSTRAINT test_no_tablets');
    expect((await seedWarehouse(t.url, { customers: 500, seed: 1, until: UNTIL })).skipped).toBe(false);
  });

  it('on our side, mid-COPY, rolls back too and frees the connection', async () => {
    const before = await rowCounts(t.db);
    const onProgress = (p: { table: string }) => {
      if (p.table === 'web_sessions') throw new Error('progress bar crashed');
    };
    await expect(seedWarehouse(t.url, { customers: 2000, seed: 2, until: UNTIL, reset: true, onProgress })).rejects.toThrow(
      'progress bar crashed',
    );
    expect(await rowCounts(t.db)).toEqual(before);
  });
});
