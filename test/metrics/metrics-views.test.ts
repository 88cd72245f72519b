import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedWarehouse } from '../../seeds/index.js';
import { metricsViews } from '@engagement/contract';
import { refreshMetricsViews, viewQuery } from '../../src/metrics/views.js';
import { CubeClient } from '../../src/cube/client.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startTestCube, type TestCube } from '../support/cube.js';

let t: TestDatabase;
let cube: TestCube;
let tenant: string;
let refreshed: string[];

beforeAll(async () => {
  t = await createTestDatabase();
  await seedWarehouse(t.url, { customers: 1500, seed: 3, until: new Date('2026-11-01T00:00:00Z') });
  tenant = ((await t.db('tenants').orderBy('id').first('id')) as { id: string }).id;
  // As `npm run metrics` does: views read raw tables, not rollups that Cube renames on refresh.
  cube = await startTestCube(t.url, { preAggregations: false });
  refreshed = await refreshMetricsViews(t.db, new CubeClient(cube.cube.apiUrl, cube.token({ admin: true })));
});
afterAll(async () => {
  await cube?.stop();
  await t?.drop();
});

const normalise = (value: unknown) =>
  value instanceof Date
    ? value.toISOString().slice(0, 10)
    : typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)
      ? value.slice(0, 10)
      : value === null
        ? null
        : Number.isNaN(Number(value))
          ? value
          : Number(value);

describe('metrics views', () => {
  it('are created for every canonical query', async () => {
    const { rows } = await t.db.raw(`SELECT table_name FROM information_schema.views WHERE table_schema = 'metrics' ORDER BY 1`);
    expect(rows.map((r: { table_name: string }) => `metrics.${r.table_name}`)).toEqual([...refreshed].sort());
    expect(refreshed).toHaveLength(metricsViews.length);
  });

  const plain = metricsViews.filter((v) => v.series === undefined);
  it.each(plain.map((v) => [v.name, v] as const))('metrics.%s returns what the REST API returns', async (_name, view) => {
    const { rows: sqlRows } = await t.db.raw(`SELECT * FROM metrics.${view.name} WHERE tenant_id = ?`, [tenant]);
    expect(sqlRows.length).toBeGreaterThan(0);
    const rest = await cube.load(tenant, viewQuery(view));

    const key = (values: unknown[]) => values.map(normalise).join('|');
    const columns = Object.keys(sqlRows[0]).filter((c) => c !== 'tenant_id');
    const dims = columns.filter((c) => !view.measures.some((m) => m.endsWith(`.${c}`)));
    const restByKey = new Map(
      rest.map((r) => {
        const dimValues = dims.map((d) =>
          d === 'month' ? r[`${view.time!.dimension}.month`] : r[view.dimensions.find((x) => x.endsWith(`.${d}`))!],
        );
        return [key(dimValues), r];
      }),
    );
    expect(restByKey.size).toBe(sqlRows.length);
    for (const row of sqlRows) {
      const match = restByKey.get(key(dims.map((d) => row[d])));
      expect(match, key(dims.map((d) => row[d]))).toBeDefined();
      for (const measure of view.measures) {
        expect(normalise(row[measure.split('.')[1]!]), measure).toEqual(normalise(match![measure]));
      }
    }
  });

  // The functions themselves are checked against the REST API in metrics-functions.test.ts.
  const monthly = metricsViews.filter((v) => v.series !== undefined);
  it.each(monthly.map((v) => [v.name, v] as const))('metrics.%s is its series function by month over all the data', async (_name, view) => {
    const { rows: viewRows } = await t.db.raw(`SELECT * FROM metrics.${view.name} WHERE tenant_id = ?`, [tenant]);
    const { rows: series } = await t.db.raw(`SELECT * FROM metrics.${view.series}(?)`, [tenant]);
    expect(viewRows.length).toBeGreaterThan(0);
    expect(viewRows).toEqual(series.map(({ period, ...rest }: Record<string, unknown>) => ({ ...rest, month: period })));
  });

  it('are not replaced from a Cube that answers from rollups, and the published ones stay', async () => {
    const withRollups = await startTestCube(t.url);
    try {
      await expect(refreshMetricsViews(t.db, new CubeClient(withRollups.cube.apiUrl, withRollups.token({ admin: true })))).rejects.toThrow(
        /^Cube answered \w+ from a rollup; publish the views from a Cube serving the model without pre-aggregations\.$/,
      );
    } finally {
      await withRollups.stop();
    }
    const { rows } = (await t.db.raw(`SELECT count(*)::int AS n FROM pg_views WHERE schemaname = 'metrics'`)) as {
      rows: Array<{ n: number }>;
    };
    expect(rows[0]!.n).toBe(refreshed.length);
    const survey = (await t.db.raw('SELECT count(*)::int AS n FROM metrics.survey_kpis_monthly')) as { rows: Array<{ n: number }> };
    expect(survey.rows[0]!.n).toBeGreaterThan(0);
  });
});
