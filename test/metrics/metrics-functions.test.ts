import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricsViews, type MetricsView } from '@engagement/contract';
import { seedWarehouse } from '../../seeds/index.js';
import { CubeClient } from '../../src/cube/client.js';
import { ignoreErrorsOfEndingClients } from '../../src/cube/pool-errors.js';
import { refreshMetricsViews } from '../../src/metrics/views.js';
import { WarehouseRoles } from '../../src/warehouse/roles.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startTestCube, TEST_API_SECRET, type Row, type TestCube } from '../support/cube.js';

// A tenant worked out by hand, with a quiet month. Customer C-1 subscribes on 5 January 2026 and
// leaves on 10 March; C-2 subscribes on 1 February. NPS answers: 10 and 3 in January (one
// promoter, one detractor: NPS 0), none in February, 9 in March (NPS 100). Its latest event is
// the answer of 20 March, so its data ends there (observation end: 21 March).
//   January:  no customer before it, new 1, lost 0, at end 1 → churn and retention have no base
//             (null; the model gives "customers at start" as null too when nothing came before)
//   February: at start 1, new 1, lost 0, at end 2 → churn 0 %, retention (2 − 1) / 1 = 100 %
//   March:    at start 2, new 0, lost 1, at end 1 → churn 50 %, retention (1 − 0) / 2 = 50 %
//   April starts after the data ends: no data (null) for every customer figure.
const QUIET = 'quiet';

async function seedQuietTenant(t: TestDatabase): Promise<void> {
  await t.db('tenants').insert({ id: QUIET, name: 'Quiet', business_model: 'b2b' });
  const customer = (id: string, start: string, end: string | null) => ({ id, start, end });
  const customers = [customer('C-1', '2026-01-05T10:00:00Z', '2026-03-10T10:00:00Z'), customer('C-2', '2026-02-01T10:00:00Z', null)];
  await t.db('customers').insert(customers.map((c) => ({ id: c.id, tenant_id: QUIET, signup_at: c.start, plan: 'pro' })));
  await t.db('subscriptions').insert(
    customers.map((c) => ({
      id: `S-${c.id}`,
      tenant_id: QUIET,
      customer_id: c.id,
      plan: 'pro',
      started_at: c.start,
      ended_at: c.end,
      mrr: 10,
    })),
  );
  const answers: [string, number][] = [
    ['2026-01-12T12:00:00Z', 10],
    ['2026-01-13T12:00:00Z', 3],
    ['2026-03-20T12:00:00Z', 9],
  ];
  await t
    .db('survey_responses')
    .insert(
      answers.map(([at, score], i) => ({ id: `R-${i}`, tenant_id: QUIET, customer_id: 'C-1', kind: 'nps', score, responded_at: at })),
    );
}

let t: TestDatabase;
let cube: TestCube;
let tenant: string;

beforeAll(async () => {
  t = await createTestDatabase();
  await seedWarehouse(t.url, { customers: 600, seed: 5, until: new Date('2026-11-01T00:00:00Z') });
  await seedQuietTenant(t);
  tenant = ((await t.db('tenants').whereNot('id', QUIET).orderBy('id').first('id')) as { id: string }).id;
  cube = await startTestCube(t.url, { preAggregations: false });
  await refreshMetricsViews(t.db, new CubeClient(cube.cube.apiUrl, cube.token({ admin: true })));
});
afterAll(async () => {
  await cube?.stop();
  await t?.drop();
});

const series = metricsViews.filter((view): view is MetricsView & { series: string } => view.series !== undefined);
const shortName = (member: string) => member.split('.')[1]!;
const day = (value: unknown) => (value instanceof Date ? value.toISOString() : String(value)).slice(0, 10);
const num = (value: unknown) => (value === null || value === undefined ? null : Number(value));

async function call(name: string, args: string[]): Promise<Record<string, unknown>[]> {
  const { rows } = await t.db.raw(`SELECT * FROM metrics.${name}(?, ?, ?, ?)`, args);
  return rows as Record<string, unknown>[];
}

/** Each row of the function, keyed by period and dimension values. */
const keyOf = (view: MetricsView, period: string, row: (member: string) => unknown) =>
  [period, ...view.dimensions.filter((d) => !d.endsWith('.tenant_id')).map((d) => String(row(d)))].join('|');

describe.each([
  ['day', '2026-03-10', '2026-04-05'],
  ['week', '2026-01-01', '2026-03-31'],
  ['month', '2025-01-01', '2026-10-31'],
  ['quarter', '2025-02-15', '2026-08-31'],
])('by %s from %s to %s', (granularity, from, to) => {
  it.each(series.map((view) => [view.series, view] as const))('metrics.%s equals the REST API', async (_name, view) => {
    const rows = await call(view.series, [tenant, from, to, granularity]);
    const rest = await cube.load(tenant, {
      measures: view.measures,
      dimensions: view.dimensions,
      timeDimensions: [{ dimension: view.time!.dimension, granularity, dateRange: [from, to] }],
      limit: 50_000,
    });
    const timeMember = `${view.time!.dimension}.${granularity}`;
    const byKey = new Map(rest.map((r: Row) => [keyOf(view, day(r[timeMember]), (m) => r[m]), r]));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.tenant_id).toBe(tenant);
      const key = keyOf(view, day(row.period), (m) => row[shortName(m)]);
      const match = byKey.get(key);
      for (const measure of view.measures) {
        // A period Cube has no row for is an empty one: the KPI's value over no rows.
        if (!match) expect([0, null], `${measure} at ${key}`).toContainEqual(num(row[shortName(measure)]));
        else if (match[measure] === null) expect(row[shortName(measure)], `${measure} at ${key}`).toBeNull();
        else expect(num(row[shortName(measure)]), `${measure} at ${key}`).toBeCloseTo(Number(match[measure]), 9);
      }
      byKey.delete(key);
    }
    // Every row Cube gives is in the function's answer.
    expect([...byKey.keys()]).toEqual([]);
  });
});

describe('the hand-built tenant', () => {
  it('has its quiet month as a row: no answers, so NPS has no value', async () => {
    const rows = await call('survey_kpis', [QUIET, '2026-01-01', '2026-03-31', 'month']);
    expect(rows.map((r) => [day(r.period), num(r.nps), num(r.nps_responses)])).toEqual([
      ['2026-01-01', 0, 2],
      ['2026-02-01', null, 0],
      ['2026-03-01', 100, 1],
    ]);
  });

  it('has the customer figures worked out by hand, and none after its data ends', async () => {
    const rows = await call('customer_kpis', [QUIET, '2026-01-01', '2026-04-30', 'month']);
    const figures = rows.map((r) => [
      day(r.period),
      num(r.customers_at_start),
      num(r.new_customers),
      num(r.lost_customers),
      num(r.customers_at_end),
      num(r.churn_rate),
      num(r.retention_rate),
    ]);
    expect(figures).toEqual([
      ['2026-01-01', null, 1, 0, 1, null, null],
      ['2026-02-01', 1, 1, 0, 2, 0, 100],
      ['2026-03-01', 2, 0, 1, 1, 50, 50],
      ['2026-04-01', null, null, null, null, null, null],
    ]);
    // The same as Cube's REST API for the tenant.
    const rest = await cube.load(QUIET, {
      measures: ['customer_lifecycle.customers_at_start', 'customer_lifecycle.churn_rate', 'customer_lifecycle.retention_rate'],
      timeDimensions: [{ dimension: 'customer_lifecycle.date', granularity: 'month', dateRange: ['2026-01-01', '2026-04-30'] }],
    });
    expect(rest.map((r) => [num(r['customer_lifecycle.customers_at_start']), num(r['customer_lifecycle.churn_rate'])])).toEqual(
      figures.map((f) => [f[1], f[5]]),
    );
  });

  it('monthly views run to the latest data with no refresh: an answer added in May is there at once', async () => {
    const months = async () =>
      (
        (await t.db.raw(`SELECT month, nps FROM metrics.survey_kpis_monthly WHERE tenant_id = ? ORDER BY month`, [QUIET])).rows as Row[]
      ).map((r) => [day(r.month), num(r.nps)]);
    expect(await months()).toEqual([
      ['2026-01-01', 0],
      ['2026-02-01', null],
      ['2026-03-01', 100],
    ]);
    await t
      .db('survey_responses')
      .insert({ id: 'R-9', tenant_id: QUIET, customer_id: 'C-2', kind: 'nps', score: 2, responded_at: '2026-05-02T12:00:00Z' });
    try {
      expect(await months()).toEqual([
        ['2026-01-01', 0],
        ['2026-02-01', null],
        ['2026-03-01', 100],
        ['2026-04-01', null],
        ['2026-05-01', -100],
      ]);
    } finally {
      await t.db('survey_responses').where({ tenant_id: QUIET, id: 'R-9' }).delete();
    }
  });

  it('defaults to every month of its data when the range is left out', async () => {
    const { rows } = await t.db.raw(`SELECT period, nps FROM metrics.survey_kpis(?)`, [QUIET]);
    expect((rows as Row[]).map((r) => day(r.period))).toEqual(['2026-01-01', '2026-02-01', '2026-03-01']);
  });
});

describe('bad arguments', () => {
  const refusal = (args: string[]) =>
    call('survey_kpis', args).then(
      () => 'no error',
      (error: Error) => error.message,
    );

  it.each([
    [[QUIET, '2026-13-01', '2026-03-31', 'month'], "metrics.survey_kpis: from_date: '2026-13-01' is not a calendar date"],
    [[QUIET, '2026-01-01', 'March', 'month'], "metrics.survey_kpis: to_date: expected a date as YYYY-MM-DD, got 'March'"],
    [
      [QUIET, '2026-01-01', '2026-03-31', 'fortnight'],
      "metrics.survey_kpis: granularity: expected one of day, week, month, quarter, year, got 'fortnight'",
    ],
    [[QUIET, '2026-03-31', '2026-01-01', 'month'], 'metrics.survey_kpis: to_date 2026-01-01 is before from_date 2026-03-31'],
    [
      ['nobody', '2026-01-01', '2026-03-31', 'month'],
      "metrics.survey_kpis: tenant: no tenant 'nobody' in this warehouse (or not one this role may read)",
    ],
  ])('%j: %s', async (args, message) => {
    expect(await refusal(args)).toContain(message);
  });
});

describe("a tenant's own warehouse role", () => {
  let owner: pg.Pool;
  let client: pg.Client;
  beforeAll(async () => {
    owner = new pg.Pool({ connectionString: t.url, max: 2 });
    ignoreErrorsOfEndingClients(owner);
    const login = await new WarehouseRoles(owner, TEST_API_SECRET, 60_000).tenant(QUIET);
    const url = new URL(t.url);
    url.username = login.user;
    url.password = login.password;
    client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await owner?.end();
  });

  it('reads its own series, and the monthly views show it only its rows', async () => {
    const { rows } = await client.query(`SELECT period, nps FROM metrics.survey_kpis($1, '2026-01-01', '2026-03-31', 'month')`, [QUIET]);
    expect(rows.map((r) => num(r.nps))).toEqual([0, null, 100]);
    const { rows: tenants } = await client.query('SELECT DISTINCT tenant_id FROM metrics.survey_kpis_monthly');
    expect(tenants).toEqual([{ tenant_id: QUIET }]);
  });

  it("cannot read another tenant's series", async () => {
    const error = await client
      .query(`SELECT * FROM metrics.survey_kpis($1, '2026-01-01', '2026-03-31', 'month')`, [tenant])
      .catch((e: Error) => e);
    expect((error as Error).message).toBe(
      `metrics.survey_kpis: tenant: no tenant '${tenant}' in this warehouse (or not one this role may read)`,
    );
  });
});
