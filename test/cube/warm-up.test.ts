import { dashboardQueries } from '@engagement/contract/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedWarehouse } from '../../seeds/index.js';
import { tenantRollupSchema } from '../../src/cube/pre-aggregations-schema.js';
import { describeWarmUp, warmBoards } from '../../src/cube/warm-up.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startTestCube, TEST_API_SECRET, type TestCube } from '../support/cube.js';

// The boards opened on 2026-10-20 on their default range, over data generated up to 2026-11-01.
const UNTIL = new Date('2026-11-01T00:00:00Z');
const NOW = new Date('2026-10-20T09:30:00Z');

let t: TestDatabase;
let cube: TestCube;
let tenants: string[];

beforeAll(async () => {
  t = await createTestDatabase();
  await seedWarehouse(t.url, { customers: 600, seed: 5, until: UNTIL });
  tenants = (await t.db('tenants').orderBy('id').pluck('id')) as string[];
  cube = await startTestCube(t.url);
});
afterAll(async () => {
  await cube?.stop();
  await t?.drop();
});

async function rollupTables(tenant: string): Promise<string[]> {
  const { rows } = await t.db.raw(`SELECT tablename FROM pg_tables WHERE schemaname = ? ORDER BY 1`, [tenantRollupSchema(tenant)]);
  return (rows as { tablename: string }[]).map((r) => r.tablename);
}

describe('warming the boards', () => {
  it("builds every rollup partition a tenant's boards read before any board is opened, and no other tenant's", async () => {
    const [tenant, other] = tenants as [string, string];
    expect(await rollupTables(tenant)).toEqual([]);
    const progress: number[] = [];
    const result = await warmBoards({
      apiUrl: cube.cube.apiUrl,
      apiSecret: TEST_API_SECRET,
      tenants: [tenant],
      now: NOW,
      onProgress: (done) => progress.push(done),
    });
    const panels = dashboardQueries({ from: new Date('2025-10-20T09:30:00Z'), to: NOW });
    expect(result).toMatchObject({ tenants: 1, queries: panels.length, failed: [] });
    expect(progress).toEqual(panels.map((_, i) => i + 1));
    const built = await rollupTables(tenant);
    expect(built.length).toBeGreaterThan(5);
    expect(await rollupTables(other)).toEqual([]);

    // Opening the boards now reads those tables and builds none.
    for (const { panel, query } of panels) {
      const body = await cube.loadBody(tenant, query);
      for (const used of Object.values(body.usedPreAggregations) as { targetTableName: string }[]) {
        // One table, or a UNION ALL of a partitioned rollup's tables.
        const tables = [...used.targetTableName.matchAll(new RegExp(`${tenantRollupSchema(tenant)}\\.(\\w+)`, 'g'))].map((m) => m[1]);
        expect(tables.length, panel).toBeGreaterThan(0);
        for (const table of tables) expect(built, panel).toContain(table);
      }
    }
    expect(await rollupTables(tenant)).toEqual(built);
  });

  it('says how long it took, and names the queries that failed', () => {
    expect(describeWarmUp({ tenants: 3, queries: 90, failed: [], seconds: 12.34 })).toBe(
      'Rollups ready: 90 board queries for 3 tenants in 12.3 s.',
    );
    expect(describeWarmUp({ tenants: 1, queries: 30, failed: [{ tenant: 'acme', panel: 'NPS', error: 'Cube is down' }], seconds: 2 })).toBe(
      'Rollups ready: 30 board queries for 1 tenant in 2.0 s; 1 failed, as they will when the board opens:\n  acme, NPS: Cube is down',
    );
  });
});
