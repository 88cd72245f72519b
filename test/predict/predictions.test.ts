import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPredict } from '../../src/predict/run.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startTestCube, type TestCube } from '../support/cube.js';

// Two hand-built tenants. "shop" sells without subscriptions; "saas" has one cohort of four
// subscribers in January 2026. Data through 2026-05-31, so as-of is 2026-06-01 (exclusive).
const SHOP = 'shop';
const SAAS = 'saas';
const AS_OF = new Date('2026-06-01T00:00:00Z');

let t: TestDatabase;
let cube: TestCube;

const customer = (tenant: string, id: string) => ({
  tenant_id: tenant,
  id,
  signup_at: '2026-01-05T12:00:00Z',
  plan: 'pro',
  segment: 'smb',
  country: 'US',
  acquisition_channel: 'organic',
});

beforeAll(async () => {
  t = await createTestDatabase();
  await t.db('tenants').insert([
    { id: SHOP, name: 'Shop', business_model: 'b2c', data_through: '2026-05-31T00:00:00Z' },
    { id: SAAS, name: 'SaaS', business_model: 'b2b', data_through: '2026-05-31T00:00:00Z' },
  ]);
  await t
    .db('customers')
    .insert([...['a', 'b', 'c', 'd', 'e'].map((id) => customer(SHOP, id)), ...['p', 'q', 'r', 's'].map((id) => customer(SAAS, id))]);
  let n = 0;
  const order = (customerId: string, day: string, amount: number) => ({
    tenant_id: SHOP,
    id: String(++n),
    customer_id: customerId,
    ordered_at: `${day}T10:00:00Z`,
    amount,
  });
  await t.db('orders').insert([
    // a: three purchase days (two orders on 2026-03-01 count as one day of 30 + 10).
    order('a', '2026-01-10', 20),
    order('a', '2026-02-10', 30),
    order('a', '2026-03-01', 30),
    order('a', '2026-03-01', 10),
    // b: two days. c: one. d: four, the last long ago. e: two, recently.
    order('b', '2026-01-15', 50),
    order('b', '2026-04-15', 60),
    order('c', '2026-02-01', 25),
    order('d', '2026-01-06', 15),
    order('d', '2026-01-20', 15),
    order('d', '2026-02-03', 20),
    order('d', '2026-02-17', 25),
    order('e', '2026-05-01', 40),
    order('e', '2026-05-25', 44),
    // After the as-of day: never read.
    order('a', '2026-06-02', 999),
  ]);
  const sub = (id: string, customerId: string, ended: string | null) => ({
    tenant_id: SAAS,
    id,
    customer_id: customerId,
    plan: 'pro',
    started_at: '2026-01-10T00:00:00Z',
    ended_at: ended,
    mrr: 10,
  });
  // p lost in January (age 0), q after two full months (lost in March), r and s still there.
  await t
    .db('subscriptions')
    .insert([sub('1', 'p', '2026-01-20T00:00:00Z'), sub('2', 'q', '2026-03-10T00:00:00Z'), sub('3', 'r', null), sub('4', 's', null)]);
  await runPredict(t.db, { monthlyDiscountRate: 0.01 });
  cube = await startTestCube(t.url);
});

afterAll(async () => {
  await cube?.stop();
  await t?.drop();
});

describe('npm run predict on hand-built tenants', () => {
  it('summarises purchases by day before the as-of date: x, t_x and T in days as worked out here', async () => {
    const rows = await t
      .db('customer_predictions')
      .where({ tenant_id: SHOP })
      .orderBy('customer_id')
      .select('customer_id', 'repeat_purchases');
    expect(rows).toEqual([
      { customer_id: 'a', repeat_purchases: 2 },
      { customer_id: 'b', repeat_purchases: 1 },
      { customer_id: 'c', repeat_purchases: 0 },
      { customer_id: 'd', repeat_purchases: 3 },
      { customer_id: 'e', repeat_purchases: 1 },
    ]);
    // A customer who never came back has not shown a chance to drop out: P(alive) = 1.
    const c = await t.db('customer_predictions').where({ tenant_id: SHOP, customer_id: 'c' }).first();
    expect(c.probability_alive).toBe(1);
    // Gamma-Gamma's expected spend is a weighted mean of the population mean p·γ/(q − 1) and the
    // customer's own: for a, whose repeat days were 30 and 30 + 10, that is 35.
    const a = await t.db('customer_predictions').where({ tenant_id: SHOP, customer_id: 'a' }).first();
    const { parameters: gg } = await t.db('prediction_fits').where({ tenant_id: SHOP, model: 'gamma_gamma' }).first();
    const population = (gg.p * gg.gamma) / (gg.q - 1);
    expect(a.expected_average_spend).toBeGreaterThan(Math.min(35, population));
    expect(a.expected_average_spend).toBeLessThan(Math.max(35, population));
    expect(a.as_of).toEqual(AS_OF);
  });

  it('counts the January cohort by hand: 4 customers; 3 at the end of January, 3 of February, then 2', async () => {
    const rows = await t
      .db('cohort_retention_forecast')
      .where({ tenant_id: SAAS })
      .whereNotNull('actual_survival')
      .orderBy('months_since_start')
      .select('months_since_start', 'cohort_size', 'actual_survival');
    expect(rows).toEqual([
      { months_since_start: 0, cohort_size: 4, actual_survival: 0.75 },
      { months_since_start: 1, cohort_size: 4, actual_survival: 0.75 },
      { months_since_start: 2, cohort_size: 4, actual_survival: 0.5 },
      { months_since_start: 3, cohort_size: 4, actual_survival: 0.5 },
      { months_since_start: 4, cohort_size: 4, actual_survival: 0.5 },
    ]);
    // Ages 0–4 observed, then 36 projected.
    expect(await t.db('cohort_retention_forecast').where({ tenant_id: SAAS }).count({ n: '*' })).toEqual([{ n: 41 }]);
  });

  it('skips what a tenant has no data for, saying why, and records each fit', async () => {
    const fits = await t.db('prediction_fits').orderBy(['tenant_id', 'model']).select('tenant_id', 'model', 'n', 'converged');
    expect(fits.map((f) => `${f.tenant_id}/${f.model}/${f.n}`)).toEqual(['saas/sbg/4', 'shop/bgnbd/5', 'shop/gamma_gamma/4']);
    const [saas] = await runPredict(t.db, { tenant: SAAS, monthlyDiscountRate: 0.01 });
    expect(saas!.results.find((r) => r.name === 'bgnbd')!.skipped).toBe('no orders before the as-of date');
  });

  it("replaces a tenant's predictions on a second run, and an earlier --as-of sees less history", async () => {
    const [shop] = await runPredict(t.db, { tenant: SHOP, asOf: new Date('2026-03-01T00:00:00Z'), monthlyDiscountRate: 0.01 });
    expect(shop!.results.find((r) => r.name === 'bgnbd')!.rowsWritten).toBe(4);
    expect(await t.db('customer_predictions').where({ tenant_id: SHOP }).count({ n: '*' })).toEqual([{ n: 4 }]);
    await runPredict(t.db, { tenant: SHOP, monthlyDiscountRate: 0.01 });
    expect(await t.db('customer_predictions').where({ tenant_id: SHOP }).count({ n: '*' })).toEqual([{ n: 5 }]);
  });

  it('rolls back a tenant whose step fails, keeping its previous predictions, and goes on with the others', async () => {
    await t.db.raw(`CREATE FUNCTION refuse_saas() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.tenant_id = 'saas' THEN RAISE EXCEPTION 'disk full (a test)'; END IF; RETURN NEW; END $$`);
    await t.db.raw('CREATE TRIGGER refuse_saas BEFORE INSERT ON prediction_fits FOR EACH ROW EXECUTE FUNCTION refuse_saas()');
    try {
      const results = await runPredict(t.db, { monthlyDiscountRate: 0.01 });
      expect(results.map((r) => [r.tenant, r.error ?? 'ok'])).toEqual([
        [
          SAAS,
          'insert into "prediction_fits" ("as_of", "converged", "fitted_at", "iterations", "log_likelihood", "model", "n", "parameters", "seconds", "tenant_id") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) - disk full (a test)',
        ],
        [SHOP, 'ok'],
      ]);
      expect(await t.db('cohort_retention_forecast').where({ tenant_id: SAAS }).count({ n: '*' })).toEqual([{ n: 41 }]);
      expect(await t.db('prediction_fits').where({ tenant_id: SAAS }).count({ n: '*' })).toEqual([{ n: 1 }]);
    } finally {
      await t.db.raw('DROP TRIGGER refuse_saas ON prediction_fits');
      await t.db.raw('DROP FUNCTION refuse_saas()');
    }
  });

  it('prints the correlation of frequency and spend, and warns when q < 2 makes the mean spend unstable', async () => {
    const [shop] = await runPredict(t.db, { tenant: SHOP, monthlyDiscountRate: 0.01 });
    const gg = shop!.results.find((r) => r.name === 'gamma_gamma')!;
    expect(gg.notes![0]).toMatch(/^correlation of frequency and mean spend: -?\d\.\d{3} \(the model assumes none\)$/);
    expect(gg.notes!.some((note) => /< 2: the population mean spend is unstable/.test(note))).toBe(gg.parameters.q! < 2);
  });

  it('refuses an unknown tenant, naming the flag and the known ones', async () => {
    await expect(runPredict(t.db, { tenant: 'nope', monthlyDiscountRate: 0.01 })).rejects.toThrow(
      '--tenant: unknown tenant "nope". Known tenants: saas, shop.',
    );
  });
});

describe('predictions through Cube', () => {
  it("serve a tenant's numbers, as the table holds them, from the rollup", async () => {
    const rows = await t.db('customer_predictions').where({ tenant_id: SHOP });
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    const body = await cube.loadBody(SHOP, {
      measures: [
        'customer_predictions.predicted_customers',
        'customer_predictions.average_clv_3y',
        'customer_predictions.predicted_value_12m',
        'customer_predictions.average_probability_alive',
        'customer_predictions.likely_alive_share',
      ],
    });
    const [row] = body.data;
    expect(Number(row!['customer_predictions.predicted_customers'])).toBe(5);
    expect(Number(row!['customer_predictions.average_clv_3y'])).toBeCloseTo(mean(rows.map((r) => r.clv_3y)), 6);
    expect(Number(row!['customer_predictions.predicted_value_12m'])).toBeCloseTo(
      rows.reduce((a, r) => a + r.clv_12m, 0),
      6,
    );
    expect(Number(row!['customer_predictions.average_probability_alive'])).toBeCloseTo(100 * mean(rows.map((r) => r.probability_alive)), 6);
    expect(Number(row!['customer_predictions.likely_alive_share'])).toBeCloseTo(
      (100 * rows.filter((r) => r.probability_alive >= 0.5).length) / 5,
      6,
    );
    expect(Object.keys(body.usedPreAggregations).join()).toMatch(/customer_predictions_predictions/);
  });

  it('keep each tenant to its own rows', async () => {
    const count = async (tenant: string) =>
      Number(
        (await cube.load(tenant, { measures: ['customer_predictions.predicted_customers'] }))[0]?.[
          'customer_predictions.predicted_customers'
        ] ?? 0,
      );
    expect(await count(SHOP)).toBe(5);
    expect(await count(SAAS)).toBe(0);
  });

  it('serve the cohort forecast: actual retention 75% at age 0 and 50% at age 2, worked out above', async () => {
    const rows = await cube.load(SAAS, {
      measures: ['cohort_retention_forecast.actual_retention', 'cohort_retention_forecast.projected_retention'],
      dimensions: ['cohort_retention_forecast.months_since_start'],
      filters: [{ member: 'cohort_retention_forecast.months_since_start', operator: 'lte', values: ['2'] }],
      order: { 'cohort_retention_forecast.months_since_start': 'asc' },
    });
    expect(rows.map((r) => Number(r['cohort_retention_forecast.actual_retention']))).toEqual([75, 75, 50]);
    expect(rows.every((r) => Number(r['cohort_retention_forecast.projected_retention']) > 0)).toBe(true);
    expect(await cube.load(SHOP, { measures: ['cohort_retention_forecast.cohort_customers'] })).toEqual([
      { 'cohort_retention_forecast.cohort_customers': null },
    ]);
  });
});
