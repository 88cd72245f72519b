import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCubeServer, type RunningCube } from '../../src/cube/server.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startTestCube, type TestCube } from '../support/cube.js';
import { API_SECRET, call, expectRefused, load, seedTwoTenants, tokenFor, ACME } from './support.js';

const FACTS_MODEL = path.resolve(import.meta.dirname, 'fixtures/facts-model');

// A tenant with both facts, worked out by hand: three NPS answers in March 2026 (10, 9, 3: two
// promoters, one detractor → NPS 100 × (2 − 1) / 3 = 33.33) and four web sessions in March, one
// of them single-page (bounce rate 25%).
const TENANT = 'guarded';

async function seedGuardedTenant(t: TestDatabase): Promise<void> {
  await t.db('tenants').insert({ id: TENANT, name: 'Guarded', business_model: 'b2b' });
  await t.db('customers').insert(['C-1', 'C-2'].map((id) => ({ id, tenant_id: TENANT, signup_at: '2026-01-05T00:00:00Z', plan: 'pro' })));
  await t.db('survey_responses').insert(
    [10, 9, 3].map((score, i) => ({
      id: `R-${i}`,
      tenant_id: TENANT,
      customer_id: i === 2 ? 'C-2' : 'C-1',
      kind: 'nps',
      score,
      responded_at: `2026-03-0${i + 1}T12:00:00Z`,
    })),
  );
  await t.db('web_sessions').insert(
    [1, 3, 5, 2].map((pageviews, i) => ({
      id: `W-${i}`,
      tenant_id: TENANT,
      visitor_id: `V-${i}`,
      customer_id: null,
      started_at: `2026-03-1${i}T09:00:00Z`,
      duration_seconds: 120,
      pageviews,
      landing_page: '/',
      channel: 'organic',
      device: 'desktop',
      converted: false,
    })),
  );
}

const march = (dimension: string) => [{ dimension, granularity: 'month', dateRange: ['2026-03-01', '2026-03-31'] }];

describe('queries that join unrelated facts, on the model', () => {
  let t: TestDatabase;
  let cube: TestCube;
  beforeAll(async () => {
    t = await createTestDatabase();
    await seedGuardedTenant(t);
    cube = await startTestCube(t.url);
  });
  afterAll(async () => {
    await cube?.stop();
    await t?.drop();
  });
  const token = () => cube.token({ tenant: TENANT });

  it('refuse NPS with bounce rate through the executive view, naming each measure, its fact and what to do', async () => {
    const query = {
      measures: ['executive_overview.nps', 'executive_overview.bounce_rate'],
      timeDimensions: march('executive_overview.survey_date'),
    };
    await expectRefused(
      load(cube.cube, token(), query),
      new RegExp(
        '^Query refused: it combines unrelated facts, "executive_overview\\.nps", "executive_overview\\.survey_date" from survey_responses; ' +
          '"executive_overview\\.bounce_rate" from web_sessions\\. They meet only through tenants, .* no rollup covers the query\\. ' +
          'Ask for each fact in a separate query',
      ),
    );
  });

  it("still show such a query's SQL", async () => {
    const query = { measures: ['executive_overview.nps', 'executive_overview.bounce_rate'] };
    const { status } = await call(cube.cube, `/sql?query=${encodeURIComponent(JSON.stringify(query))}`, { authorization: token() });
    expect(status).toBe(200);
  });

  it("refuse one fact's measure by another fact's date", async () => {
    const query = { measures: ['executive_overview.nps'], timeDimensions: march('executive_overview.session_date') };
    await expectRefused(
      load(cube.cube, token(), query),
      /"executive_overview\.nps" from survey_responses; "executive_overview\.session_date" from web_sessions/,
    );
  });

  it('answer the same KPIs asked for separately', async () => {
    const nps = await cube.load(TENANT, { measures: ['executive_overview.nps'], timeDimensions: march('executive_overview.survey_date') });
    expect(nps.map((row) => Number(row['executive_overview.nps']))).toEqual([(100 * (2 - 1)) / 3]);
    const bounce = await cube.load(TENANT, {
      measures: ['executive_overview.bounce_rate'],
      timeDimensions: march('executive_overview.session_date'),
    });
    expect(bounce.map((row) => Number(row['executive_overview.bounce_rate']))).toEqual([25]);
  });

  it('answer KPIs of one fact together, and a fact broken down by its customers', async () => {
    const rows = await cube.load(TENANT, {
      measures: ['customer_health.nps', 'customer_health.csat'],
      dimensions: ['customer_health.plan'],
      timeDimensions: march('customer_health.survey_date'),
    });
    expect(rows.map((row) => [row['customer_health.plan'], Number(row['customer_health.nps'])])).toEqual([['pro', (100 * (2 - 1)) / 3]]);
  });
});

describe('a query over unrelated facts that a rollup answers', () => {
  let t: TestDatabase;
  const cubes: RunningCube[] = [];
  const start = async (preAggregations: boolean) => {
    const cube = await startCubeServer({
      databaseUrl: t.url,
      port: 0,
      apiSecret: API_SECRET,
      schemaPath: FACTS_MODEL,
      preAggregations,
      logger: () => {},
    });
    cubes.push(cube);
    return cube;
  };
  beforeAll(async () => {
    t = await createTestDatabase();
    await seedTwoTenants(t.db);
  });
  afterAll(async () => {
    for (const cube of cubes) await cube.stop();
    await t?.drop();
  });
  const query = { measures: ['overview.customers', 'overview.responses'] };

  it('is answered from the rollup', async () => {
    const { status, body } = await load(await start(true), tokenFor(ACME), query);
    expect(status, JSON.stringify(body)).toBe(200);
    // acme: 3 customers, 4 answers (seedTwoTenants).
    expect(body.data).toEqual([{ 'overview.customers': 3, 'overview.responses': 4 }]);
    expect(Object.keys(body.usedPreAggregations as object)).toEqual([expect.stringContaining('tenants_counts')]);
  });

  it('is refused where no rollup answers it: the same query without the rollup, or broken down by a dimension the rollup lacks', async () => {
    await expectRefused(
      load(await start(false), tokenFor(ACME), query),
      /"overview\.customers" from customers; "overview\.responses" from survey_responses/,
    );
    await expectRefused(
      load(cubes[0]!, tokenFor(ACME), { ...query, dimensions: ['overview.kind'] }),
      /unrelated facts, .* They meet only through tenants/,
    );
  });
});
