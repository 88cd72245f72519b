import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedWarehouse } from '../../seeds/index.js';
import { loadWorkedExamples } from '../../seeds/worked-examples.js';
import type { MetaCube } from '@engagement/contract';
import { CubeClient } from '../../src/cube/client.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startTestCube, type TestCube } from '../support/cube.js';

const QUERIES = 240;

let t: TestDatabase;
let cube: TestCube;
let tenants: string[];
let meta: MetaCube[];

beforeAll(async () => {
  t = await createTestDatabase();
  await seedWarehouse(t.url, { customers: 1500, seed: 11, until: new Date('2026-11-01T00:00:00Z') });
  await loadWorkedExamples(t.db);
  tenants = (await t.db('tenants').orderBy('id').pluck('id')) as string[];
  cube = await startTestCube(t.url);
  meta = await new CubeClient(cube.cube.apiUrl, cube.token({ admin: true })).meta();
});
afterAll(async () => {
  await cube?.stop();
  await t?.drop();
});

/** Deterministic choices, so a failure names a query that can be replayed. */
function chooser(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = Math.imul(state ^ (state >>> 15), 1 | state);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  return <T>(items: T[]): T => items[Math.floor(next() * items.length)]!;
}

interface Generated {
  source: string;
  query: Record<string, unknown>;
}

/** Queries on cubes only: a view mixes cubes, and fan-out between unrelated ones is slow, not wrong. */
function generateQueries(count: number): Generated[] {
  const pick = chooser(20261122);
  const cubes = meta.filter((c) => c.type !== 'view' && c.measures.length > 0);
  return Array.from({ length: count }, () => {
    const c = pick(cubes);
    const times = c.dimensions.filter((d) => (d as { type?: string }).type === 'time');
    // Ids are strings too, but grouping by one gives a row per customer or session: slow, and no test of scoping.
    const others = c.dimensions.filter((d) => (d as { type?: string }).type === 'string' && !/(\.|_)id$/.test(d.name));
    const time = times.length ? pick(times) : undefined;
    return {
      source: c.name,
      query: {
        measures: [pick(c.measures).name],
        dimensions: [`${c.name}.tenant_id`, ...(others.length && pick([true, false]) ? [pick(others).name] : [])],
        ...(time
          ? {
              timeDimensions: [
                {
                  dimension: time.name,
                  granularity: pick(['day', 'week', 'month', 'quarter', 'year']),
                  dateRange: ['2026-01-01', '2026-06-30'],
                },
              ],
            }
          : {}),
        limit: 5000,
      },
    };
  });
}

/**
 * Rows that hold data. A rolling-window query over a tenant with no rows in the range gets the
 * bare date series from Cube: rows whose dimensions are all null and whose measures are null or
 * zero, which are empty, not another tenant's data.
 */
function withData(rows: Record<string, unknown>[], query: Record<string, unknown>): Record<string, unknown>[] {
  const dimensions = query.dimensions as string[];
  const measures = query.measures as string[];
  const bare = (row: Record<string, unknown>) =>
    dimensions.every((d) => row[d] === null) && measures.every((m) => row[m] === null || Number(row[m]) === 0);
  return rows.filter((row) => !bare(row));
}

const sorted = (rows: Record<string, unknown>[]) => rows.map((row) => JSON.stringify(row)).sort();

describe('tenant isolation', () => {
  it(`${QUERIES} generated queries return only the token's tenant, and the same numbers an admin sees for it`, async () => {
    const admin = new CubeClient(cube.cube.apiUrl, cube.token({ admin: true }));
    const queries = generateQueries(QUERIES);
    let rowsSeen = 0;
    for (const [i, { source, query }] of queries.entries()) {
      const tenant = tenants[i % tenants.length]!;
      const rows = withData(await cube.load(tenant, query), query);
      const foreign = rows.filter((r) => r[`${source}.tenant_id`] !== tenant);
      expect(foreign, `query ${i} ${JSON.stringify(query)} for ${tenant}: ${JSON.stringify(rows)}`).toEqual([]);
      const adminRows = withData(
        await admin.load({ ...query, filters: [{ member: `${source}.tenant_id`, operator: 'equals', values: [tenant] }] }),
        query,
      );
      // The queries set no order beyond time, and the tenant's rows come from its own rollup tables,
      // the admin's from others, so rows of one period may come back in another order.
      expect(sorted(rows), `query ${i} ${JSON.stringify(query)}`).toEqual(sorted(adminRows));
      rowsSeen += rows.length;
    }
    expect(rowsSeen).toBeGreaterThan(QUERIES);
  });

  it('a token for one tenant cannot filter its way to another tenant, through any cube or view', async () => {
    const [mine, theirs] = [tenants[0]!, tenants[1]!];
    for (const c of meta) {
      const measure = c.measures[0];
      const query = {
        ...(measure ? { measures: [measure.name] } : {}),
        dimensions: [`${c.name}.tenant_id`],
        filters: [{ member: `${c.name}.tenant_id`, operator: 'equals', values: [theirs] }],
      };
      expect(await cube.load(mine, query), c.name).toEqual([]);
    }
  });

  it('every view lists only the token tenant', async () => {
    const generated = tenants.filter((id) => !id.startsWith('example_'));
    for (const view of meta.filter((c) => c.type === 'view')) {
      for (const tenant of tenants) {
        const rows = await cube.load(tenant, { dimensions: [`${view.name}.tenant_id`] });
        expect(
          rows.map((r) => r[`${view.name}.tenant_id`]),
          `${view.name} for ${tenant}`,
        ).toEqual(
          // Worked-example tenants lack most tables, so a view rooted in one of those lists nothing.
          generated.includes(tenant) || rows.length ? [tenant] : [],
        );
      }
    }
  });
});
