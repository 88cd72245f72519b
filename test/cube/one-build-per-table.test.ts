import { afterAll, beforeAll, expect, it } from 'vitest';
import postgresDriver from '@cubejs-backend/postgres-driver';
import { tenantRollupSchema } from '../../src/cube/pre-aggregations-schema.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startTestCube, type TestCube } from '../support/cube.js';
import { ACME, seedTwoTenants } from './support.js';

// The package builds module.exports in a loop, so Node's ESM loader sees only its default export.
const { PostgresDriver } = postgresDriver;
type Build = (this: unknown, ...args: unknown[]) => Promise<unknown>;
const driver = PostgresDriver.prototype as unknown as { loadPreAggregationIntoTable: Build };
const build = driver.loadPreAggregationIntoTable;

let t: TestDatabase;
let cube: TestCube;

beforeAll(async () => {
  t = await createTestDatabase();
  await seedTwoTenants(t.db);
  cube = await startTestCube(t.url);
});
afterAll(async () => {
  driver.loadPreAggregationIntoTable = build;
  await cube?.stop();
  await t?.drop();
});

it('queries that arrive one after another while a rollup partition is built build its table once, and each is answered', async () => {
  // As on a board's first open, when the tenant's rollup queue is busy: a build takes 2 s.
  driver.loadPreAggregationIntoTable = async function (this: unknown, ...args: unknown[]) {
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    return build.apply(this, args);
  };
  // Acme has no carts, so Cube plans the 2026 partition of carts.monthly up to "now", which each
  // request reads to the millisecond (one-build-per-table.ts).
  const query = {
    timezone: 'UTC',
    measures: ['carts.cart_abandonment_rate'],
    timeDimensions: [{ dimension: 'carts.created_at', granularity: 'month', dateRange: ['2026-01-01', '2026-06-30'] }],
  };
  // Compiled and connected first, so each request below plans its build as it arrives.
  await cube.load(ACME, { measures: ['survey_responses.nps_responses'] });
  const answers = await Promise.allSettled(
    Array.from({ length: 8 }, async (_, i) => {
      await new Promise((resolve) => setTimeout(resolve, 150 * i));
      return cube.loadBody(ACME, query);
    }),
  );
  expect(answers.flatMap((answer) => (answer.status === 'rejected' ? [String(answer.reason)] : []))).toEqual([]);
  for (const answer of answers) {
    if (answer.status !== 'fulfilled') continue;
    // No carts: no months to show, read from the rollup.
    expect(answer.value.data).toEqual([]);
    expect(Object.keys(answer.value.usedPreAggregations)).toEqual([
      `${tenantRollupSchema(ACME)}.carts_funnel_rows`,
      `${tenantRollupSchema(ACME)}.carts_monthly`,
    ]);
  }
  const { rows } = await t.db.raw<{ rows: { tablename: string }[] }>(
    `SELECT tablename FROM pg_tables WHERE schemaname = ? AND tablename LIKE 'carts\\_monthly20260101\\_%'`,
    [tenantRollupSchema(ACME)],
  );
  expect(rows).toHaveLength(1);
});
