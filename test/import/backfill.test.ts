import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantRollupSchema } from '../../src/cube/pre-aggregations-schema.js';
import { importFile } from '../../src/import/index.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startTestCube, type TestCube } from '../support/cube.js';
import { scratchDir, writeInput } from './support.js';

// History loaded after the rollups exist reaches the boards: the partitions it touches are
// rebuilt on their next use, although they are far older than the incremental refresh window.
const TENANT = 'late';

let database: TestDatabase;
let cube: TestCube;
let dir: string;

async function load(table: string, csv: string) {
  return importFile({
    url: database.url,
    tenant: TENANT,
    table,
    file: await writeInput(dir, `${table}.csv`, csv),
    tenantName: 'Late',
    businessModel: 'b2b',
  });
}

/** Customers and their one subscription each, starting on the given days. */
async function loadCustomers(starts: Record<string, string>) {
  const ids = Object.keys(starts);
  await load('customers', `id,signup_at\n${ids.map((id) => `${id},${starts[id]}`).join('\n')}\n`);
  await load('subscriptions', `id,customer_id,started_at\n${ids.map((id) => `S-${id},${id},${starts[id]}`).join('\n')}\n`);
}

const NEW_BY_YEAR = {
  measures: ['customer_health.new_customers'],
  timeDimensions: [{ dimension: 'customer_health.lifecycle_date', granularity: 'year', dateRange: ['2017-01-01', '2026-12-31'] }],
};

/** New customers per year, read from the rollup (the query fails the test if Cube reads raw tables). */
async function newCustomersByYear(): Promise<Record<string, number>> {
  const body = await cube.loadBody(TENANT, NEW_BY_YEAR);
  expect(Object.keys(body.usedPreAggregations)).toEqual([expect.stringContaining('lifecycle_monthly')]);
  return Object.fromEntries(
    body.data
      .filter((r) => Number(r['customer_health.new_customers']) > 0)
      .map((r) => [String(r['customer_health.lifecycle_date.year']).slice(0, 4), Number(r['customer_health.new_customers'])]),
  );
}

/** Carts and abandoned carts per year, read from the rollup built from the funnel's rows. */
async function cartsByYear(): Promise<Record<string, [number, number]>> {
  const body = await cube.loadBody(TENANT, {
    measures: ['carts.carts', 'carts.abandoned_carts'],
    timeDimensions: [{ dimension: 'carts.created_at', granularity: 'year', dateRange: ['2017-01-01', '2026-12-31'] }],
  });
  expect(Object.keys(body.usedPreAggregations)).toEqual([
    expect.stringContaining('carts_funnel_rows'),
    expect.stringContaining('carts_monthly'),
  ]);
  return Object.fromEntries(
    body.data
      .filter((r) => Number(r['carts.carts']) > 0)
      .map((r) => [String(r['carts.created_at.year']).slice(0, 4), [Number(r['carts.carts']), Number(r['carts.abandoned_carts'])]]),
  );
}

async function partitionTables(year: string): Promise<string[]> {
  const { rows } = await database.db.raw(`SELECT tablename FROM pg_tables WHERE schemaname = ? AND tablename LIKE ? ORDER BY 1`, [
    tenantRollupSchema(TENANT),
    `customers_lifecycle_monthly${year}%`,
  ]);
  return (rows as { tablename: string }[]).map((r) => r.tablename);
}

beforeAll(async () => {
  dir = await scratchDir();
  database = await createTestDatabase();
  // 2017 and this year: the partitions in between exist, empty, once a board asked for them.
  await loadCustomers({ 'C-1': '2017-03-01', 'C-2': '2017-06-01', 'C-3': `${new Date().getUTCFullYear()}-01-10` });
  cube = await startTestCube(database.url);
});

afterAll(async () => {
  await cube?.stop();
  await database?.drop();
});

describe('backfilled history', () => {
  it('is seen through the rollup after an import, and only partitions from its start on are rebuilt', async () => {
    const thisYear = String(new Date().getUTCFullYear());
    expect(await newCustomersByYear()).toEqual({ 2017: 2, [thisYear]: 1 });
    const before2017 = await partitionTables('2017');
    const before2019 = await partitionTables('2019');
    expect(before2017).toHaveLength(1);
    expect(before2019).toHaveLength(1);

    // Three customers of 2019: years older than the 31-day incremental window.
    await loadCustomers({ 'C-4': '2019-02-01', 'C-5': '2019-05-01', 'C-6': '2019-11-30' });
    let seen: Record<string, number> = {};
    for (let tries = 0; tries < 40 && seen['2019'] !== 3; tries++) {
      await sleep(1000);
      seen = await newCustomersByYear();
    }
    expect(seen).toEqual({ 2017: 2, 2019: 3, [thisYear]: 1 });
    // The 2019 partition was rebuilt into a new table; 2017's, before the import's range, was not.
    expect(await partitionTables('2017')).toEqual(before2017);
    expect((await partitionTables('2019')).filter((table) => !before2019.includes(table))).toHaveLength(1);
  });

  it('reaches the funnels: their rows are rebuilt before the rollups that are built from them', async () => {
    const thisYear = String(new Date().getUTCFullYear());
    const events = (rows: string[]) => load('events', `id,visitor_id,name,occurred_at\n${rows.join('\n')}\n`);
    // This year, a cart that was bought.
    await events([`E-1,V-1,add_to_cart,${thisYear}-01-10T10:00:00Z`, `E-2,V-1,purchase,${thisYear}-01-10T10:05:00Z`]);
    let seen: Record<string, [number, number]> = {};
    for (let tries = 0; tries < 40 && seen[thisYear] === undefined; tries++) {
      await sleep(1000);
      seen = await cartsByYear();
    }
    expect(seen).toEqual({ [thisYear]: [1, 0] });

    // A cart of 2019, abandoned: years older than the 31-day incremental window.
    await events(['E-3,V-2,add_to_cart,2019-03-01T09:00:00Z']);
    for (let tries = 0; tries < 40 && seen['2019'] === undefined; tries++) {
      await sleep(1000);
      seen = await cartsByYear();
    }
    expect(seen).toEqual({ 2019: [1, 1], [thisYear]: [1, 0] });

    // Bought the next day after all: the 2019 partition and the rows it reads both change.
    await events(['E-4,V-2,purchase,2019-03-02T09:00:00Z']);
    for (let tries = 0; tries < 40 && seen['2019']![1] !== 0; tries++) {
      await sleep(1000);
      seen = await cartsByYear();
    }
    expect(seen).toEqual({ 2019: [1, 0], [thisYear]: [1, 0] });
  });
});
