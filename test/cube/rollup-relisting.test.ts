import { afterAll, beforeAll, expect, it } from 'vitest';
import postgresDriver from '@cubejs-backend/postgres-driver';
import { seedWarehouse } from '../../seeds/index.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startTestCube, type TestCube } from '../support/cube.js';

// The package builds module.exports in a loop, so Node's ESM loader sees only its default export.
const { PostgresDriver } = postgresDriver;
type Listing = (this: unknown, schema: string) => Promise<unknown[]>;
const driver = PostgresDriver.prototype as unknown as { getTablesQuery: Listing };
const listTables = driver.getTablesQuery;

let t: TestDatabase;
let cube: TestCube;
let tenants: string[];

beforeAll(async () => {
  t = await createTestDatabase();
  await seedWarehouse(t.url, { customers: 200, seed: 11, until: new Date('2026-11-01T00:00:00Z') });
  tenants = (await t.db('tenants').orderBy('id').pluck('id')) as string[];
  cube = await startTestCube(t.url);
});
afterAll(async () => {
  driver.getTablesQuery = listTables;
  await cube?.stop();
  await t?.drop();
});

it('a rollup partition built while an older listing of its schema is still out is found (fresh-table-listing.ts)', async () => {
  // As under load: a listing of a tenant's rollup tables that Cube queues (not one a build makes
  // itself) answers 2 s after it read the catalog, so a partition can be built meanwhile.
  driver.getTablesQuery = async function (this: unknown, schema: string) {
    const byBuild = /refreshStoreInSourceStrategy|dropOrphanedTables/.test(new Error().stack ?? '');
    const tables = await listTables.call(this, schema);
    if (!byBuild) await new Promise((resolve) => setTimeout(resolve, 2_000));
    return tables;
  };
  // With no date, a view's query reads every yearly partition (2024 to 2026) of the rollups it
  // matches; a tenant's first such query builds them, two at a time. Each is a chance to lose one.
  const views = ['customer_health', 'executive_overview', 'marketing', 'support', 'web_engagement'];
  const failures: string[] = [];
  let partitionedRollups = 0;
  for (const view of views) {
    for (const tenant of tenants.filter((id) => !id.startsWith('example_'))) {
      try {
        const body = await cube.loadBody(tenant, { dimensions: [`${view}.tenant_id`] });
        expect(body.data).toEqual([{ [`${view}.tenant_id`]: tenant }]);
        if (JSON.stringify(body.usedPreAggregations).includes('20250101')) partitionedRollups += 1;
      } catch (error) {
        failures.push(`${view} for ${tenant}: ${String(error)}`);
      }
    }
  }
  expect(failures).toEqual([]);
  expect(partitionedRollups).toBeGreaterThan(3);
});
