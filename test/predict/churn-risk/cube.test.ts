import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { startTestCube, type Row, type TestCube } from '../../support/cube.js';

// Scores written by hand for two tenants, read back through a real Cube server's REST API with
// each tenant's token. Tenant risk_a, worked out by hand:
//   C-1 pro    MRR 100  risk 0.5  at risk   → revenue at risk 50
//   C-2 basic  MRR 300  risk 0.1            → 30
//   C-3 pro    MRR  50  risk 0.3  at risk   → 15
// 3 scored, 2 at risk, revenue at risk 95, average risk (0.5 + 0.1 + 0.3) / 3 = 30%.
const A = 'risk_a';
const B = 'risk_b';
const AS_OF = '2026-11-01T00:00:00Z';

let t: TestDatabase;
let cube: TestCube;

beforeAll(async () => {
  t = await createTestDatabase();
  await t.db('tenants').insert([
    { id: A, name: 'Risk A', business_model: 'b2b' },
    { id: B, name: 'Risk B', business_model: 'b2c' },
  ]);
  const customer = (tenant: string, id: string, plan: string) => ({ tenant_id: tenant, id, plan, signup_at: '2025-01-01T00:00:00Z' });
  await t
    .db('customers')
    .insert([customer(A, 'C-1', 'pro'), customer(A, 'C-2', 'basic'), customer(A, 'C-3', 'pro'), customer(B, 'C-1', 'pro')]);
  const score = (
    tenant: string,
    id: string,
    mrr: number,
    risk: number,
    atRisk: boolean,
    reasons: string[],
    lastActivity: string | null,
  ) => ({
    tenant_id: tenant,
    customer_id: id,
    as_of: AS_OF,
    risk,
    at_risk: atRisk,
    reason_1: reasons[0] ?? null,
    reason_2: reasons[1] ?? null,
    reason_3: reasons[2] ?? null,
    mrr,
    last_activity_at: lastActivity,
    model_version: 'churn-risk-logit-1',
    fitted_at: AS_OF,
  });
  const model = (tenant: string) => ({
    tenant_id: tenant,
    model_version: 'churn-risk-logit-1',
    fitted_at: AS_OF,
    as_of: AS_OF,
    cutoff: '2026-05-01T00:00:00Z',
    n_train: 100,
    n_validation: 50,
    sample_every: 1,
    churn_events: 20,
    base_rate: 0.1,
    calibration: '[]',
    coefficients: '{}',
  });
  await t.db('churn_risk_models').insert([model(A), model(B)]);
  await t
    .db('churn_risk_scores')
    .insert([
      score(A, 'C-1', 100, 0.5, true, ['open support tickets', 'few sessions last month'], '2026-09-14T10:00:00Z'),
      score(A, 'C-2', 300, 0.1, false, ['low latest NPS answer', 'short tenure', 'low MRR'], '2026-10-30T08:00:00Z'),
      score(A, 'C-3', 50, 0.3, true, [], null),
      score(B, 'C-1', 1000, 0.9, true, ['long since last activity'], '2026-01-02T00:00:00Z'),
    ]);
  cube = await startTestCube(t.url);
});
afterAll(async () => {
  await cube?.stop();
  await t?.drop();
});

const numbers = (row: Row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k.split('.')[1], v === null ? null : Number(v)]));

describe('the churn_risk cube over the REST API', () => {
  it('gives each tenant its own totals: customers at risk, revenue at risk, average risk', async () => {
    const query = {
      measures: ['churn_risk.customers_scored', 'churn_risk.customers_at_risk', 'churn_risk.revenue_at_risk', 'churn_risk.average_risk'],
    };
    const body = await cube.loadBody(A, query);
    expect(body.data.map(numbers)).toEqual([
      { customers_scored: 3, customers_at_risk: 2, revenue_at_risk: 95, average_risk: expect.closeTo(30, 9) },
    ]);
    expect(Object.keys(body.usedPreAggregations)).toEqual([expect.stringContaining('churn_risk_risk_totals')]);
    expect((await cube.load(B, query)).map(numbers)).toEqual([
      { customers_scored: 1, customers_at_risk: 1, revenue_at_risk: 900, average_risk: expect.closeTo(90, 9) },
    ]);
  });

  it('lists the at-risk table (customer, MRR, risk, reasons, last activity) sorted by revenue at risk', async () => {
    const rows = await cube.load(A, {
      dimensions: ['churn_risk.customer_id', 'churn_risk.mrr', 'churn_risk.risk', 'churn_risk.reasons', 'churn_risk.last_activity_at'],
      measures: ['churn_risk.revenue_at_risk'],
      order: [['churn_risk.revenue_at_risk', 'desc']],
    });
    expect(
      rows.map((r) => [
        r['churn_risk.customer_id'],
        Number(r['churn_risk.mrr']),
        Number(r['churn_risk.risk']),
        r['churn_risk.reasons'],
        r['churn_risk.last_activity_at'],
        Number(r['churn_risk.revenue_at_risk']),
      ]),
    ).toEqual([
      ['C-1', 100, 50, 'open support tickets; few sessions last month', '2026-09-14T10:00:00.000', 50],
      ['C-2', 300, 10, 'low latest NPS answer; short tenure; low MRR', '2026-10-30T08:00:00.000', 30],
      ['C-3', 50, 30, '', null, 15],
    ]);
  });

  it('breaks the figures down by the customer attributes, through the join to customers', async () => {
    const { data: rows, usedPreAggregations } = await cube.loadBody(A, {
      dimensions: ['customers.plan'],
      measures: ['churn_risk.customers_at_risk', 'churn_risk.revenue_at_risk'],
      order: [['customers.plan', 'asc']],
    });
    expect(Object.keys(usedPreAggregations)).toEqual([expect.stringContaining('churn_risk_risk_totals')]);
    expect(
      rows.map((r) => [r['customers.plan'], Number(r['churn_risk.customers_at_risk']), Number(r['churn_risk.revenue_at_risk'])]),
    ).toEqual([
      ['basic', 0, 30],
      ['pro', 2, 65],
    ]);
  });

  it('rebuilds the totals when a predict run writes a new model', async () => {
    const query = { measures: ['churn_risk.revenue_at_risk'] };
    expect((await cube.load(A, query)).map(numbers)).toEqual([{ revenue_at_risk: 95 }]);
    // A new run: C-3's risk goes from 0.3 to 0.7, so revenue at risk from 95 to 50 + 30 + 35 = 115.
    await t.db('churn_risk_scores').where({ tenant_id: A, customer_id: 'C-3' }).update({ risk: 0.7 });
    await t.db('churn_risk_models').where({ tenant_id: A }).update({ fitted_at: '2026-11-02T00:00:00Z' });
    await expect
      .poll(async () => (await cube.load(A, query)).map(numbers), { timeout: 40_000, interval: 1000 })
      .toEqual([{ revenue_at_risk: 115 }]);
  });
});
