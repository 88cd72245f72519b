import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedWarehouse } from '../../seeds/index.js';
import { runPredict } from '../../src/predict/run.js';
import { readsRawByDesign } from '../support/raw-by-design.js';
import { dashboardQueries } from '@engagement/contract/node';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startTestCube, type TestCube } from '../support/cube.js';
import { expectSameNumbers } from '../support/same-numbers.js';

// The six provisioned dashboards opened on 2026-10-20 on their default range (the last 12
// months, every variable on "All"), over data generated up to 2026-11-01.
const UNTIL = new Date('2026-11-01T00:00:00Z');
const RANGE = { from: new Date('2025-10-20T09:30:00Z'), to: new Date('2026-10-20T09:30:00Z') };

const panels = dashboardQueries(RANGE);
let t: TestDatabase;
let withRollups: TestCube;
let withoutRollups: TestCube;
let tenants: string[];

beforeAll(async () => {
  t = await createTestDatabase();
  await seedWarehouse(t.url, { customers: 1500, seed: 11, until: UNTIL });
  // The segments & risk board reads what npm run predict writes, as after npm start.
  await runPredict(t.db, { monthlyDiscountRate: 0.01 });
  tenants = (await t.db('tenants').orderBy('id').pluck('id')) as string[];
  withRollups = await startTestCube(t.url);
  withoutRollups = await startTestCube(t.url, { preAggregations: false });
});
afterAll(async () => {
  await withRollups?.stop();
  await withoutRollups?.stop();
  await t?.drop();
});

describe('dashboard queries and pre-aggregations', () => {
  it('reads the six dashboards, every panel query with a date range made of whole periods', () => {
    expect(new Set(panels.map((p) => p.dashboard)).size).toBe(6);
    expect(panels.length).toBeGreaterThan(30);
    const monthly = panels.find((p) => p.panel === 'NPS' && p.dashboard === 'executive-overview.json')!;
    // Whole months, ending with the last complete one on the day the board is opened (periods "complete").
    expect(monthly.query.timeDimensions?.[0]?.dateRange).toEqual(['2025-10-01T00:00:00.000', '2026-09-30T23:59:59.999']);
  });

  // Runs before the dashboard queries, so this year's landing-page partition does not exist yet.
  it('builds a partition to the end of the data even when a shorter range asked for it first', async () => {
    const landingPages = (to: string) => ({
      measures: ['web_engagement.sessions', 'web_engagement.bounce_rate'],
      dimensions: ['web_engagement.landing_page'],
      timeDimensions: [{ dimension: 'web_engagement.started_at', dateRange: ['2026-02-01', to] }],
    });
    const tenant = tenants[0]!;
    const first = await withRollups.loadBody(tenant, landingPages('2026-03-14'));
    expect(Object.keys(first.usedPreAggregations)).toEqual([expect.stringContaining('web_sessions_daily_landing')]);
    const longer = landingPages('2026-10-31');
    const rolled = await withRollups.loadBody(tenant, longer);
    expect(Object.keys(rolled.usedPreAggregations)).toEqual(Object.keys(first.usedPreAggregations));
    expectSameNumbers(rolled.data, (await withoutRollups.loadBody(tenant, longer)).data, longer.measures);
  });

  it.each(panels.map((p) => [`${p.dashboard} › ${p.panel}`, p] as const))(
    '%s: answered from a rollup with the same numbers as the raw tables',
    async (_name, { query }) => {
      const measures = query.measures ?? [];
      const rawByDesign = readsRawByDesign(query);
      for (const tenant of tenants) {
        const rolled = await withRollups.loadBody(tenant, query);
        const raw = await withoutRollups.loadBody(tenant, query);
        expect(Object.keys(raw.usedPreAggregations)).toEqual([]);
        if (rawByDesign) expect(Object.keys(rolled.usedPreAggregations), tenant).toEqual([]);
        else expect(Object.keys(rolled.usedPreAggregations).length, `rollups used for ${tenant}`).toBeGreaterThan(0);
        expectSameNumbers(rolled.data, raw.data, measures);
      }
    },
  );
});
