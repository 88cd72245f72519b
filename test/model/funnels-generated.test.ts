import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prng } from '../../seeds/prng.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startTestCube, type Row, type TestCube } from '../support/cube.js';
import { expectSameNumbers } from '../support/same-numbers.js';

// Pseudo-random journeys (400 visitors, about 2,500 events) checked against SQL of
// our own: entries found by walking each person's step-1 events one by one, each step by a
// correlated look-up of the first event after the previous step. Nothing of the model's SQL.
const TENANT = 'gen';
const START = Date.parse('2026-01-01T00:00:00Z');
const SPAN_DAYS = 180;
const RANGE = ['2026-01-01', '2026-07-31'];
const DEVICES = ['desktop', 'mobile', 'tablet', null];
const CHANNELS = ['organic', 'email', 'paid_search'];
const SHOP_STEPS = ['product_view', 'add_to_cart', 'checkout_started', 'shipping_viewed', 'purchase'];
const SAAS_STEPS = ['sign_up', 'onboarding_completed', 'feature_used'];

function generateEvents(): Record<string, unknown>[] {
  const random = new Prng(2026);
  const rows: Record<string, unknown>[] = [];
  for (let v = 0; v < 400; v++) {
    random.reseed(1, v, 0);
    const visitor = `V${v}`;
    const customer = v % 10 === 0 ? `C${v}` : null;
    const steps = v % 3 === 0 ? SAAS_STEPS : SHOP_STEPS;
    for (let journey = random.int(1, 4); journey > 0; journey--) {
      let at = START + random.int(0, SPAN_DAYS * 86_400) * 1000;
      const device = DEVICES[random.int(0, DEVICES.length - 1)];
      const channel = CHANNELS[random.int(0, CHANNELS.length - 1)];
      for (const [i, name] of steps.entries()) {
        // Some skip a step, repeat one, or do it before the step before.
        if (i > 0 && random.chance(0.25)) break;
        const skip = i > 0 && random.chance(0.1);
        const repeats = random.chance(0.2) ? 2 : 1;
        const early = random.chance(0.05) ? -random.int(60, 86_400) * 1000 : 0;
        // Minutes to days; about one in seven steps comes after a 7-day window has closed.
        at += Math.round(random.exponential(2 * 86_400)) * 1000;
        if (skip) continue;
        for (let r = 0; r < repeats; r++) {
          rows.push({
            tenant_id: TENANT,
            id: `E-${rows.length}`,
            visitor_id: visitor,
            customer_id: name === 'purchase' || name === 'sign_up' ? customer : null,
            name,
            occurred_at: new Date(at + early + r * random.int(1, 7200) * 1000).toISOString(),
            device,
            channel,
          });
        }
      }
    }
  }
  return rows;
}

interface Entry {
  device: string;
  month: string;
  week: string;
  /** When each step was reached (epoch ms), null from the first step not reached. */
  reached: (number | null)[];
}

/** The oracle: every entry of a funnel with the time each step was reached. */
async function oracleEntries(db: TestDatabase['db'], events: string[], windowDays: number): Promise<Entry[]> {
  const window = `interval '${windowDays} days'`;
  const lookups = events
    .slice(1)
    .map(
      (_event, i) => `LEFT JOIN LATERAL (
        SELECT min(x.occurred_at) AS at FROM events x
        WHERE x.tenant_id = :tenant AND x.visitor_id = e.visitor_id AND x.name = :event${i + 1}
          AND x.occurred_at > s${i}.at AND x.occurred_at <= e.entry_at + ${window}) s${i + 1} ON true`,
    )
    .join('\n');
  const { rows } = await db.raw(
    `WITH RECURSIVE
     firsts AS (
       SELECT visitor_id, id, occurred_at, coalesce(device, 'unknown') AS device,
              row_number() OVER (PARTITION BY visitor_id ORDER BY occurred_at, id) AS rn
       FROM events WHERE tenant_id = :tenant AND name = :event0),
     walk AS (
       SELECT visitor_id, rn, occurred_at AS entry_at, device FROM firsts WHERE rn = 1
       UNION ALL
       SELECT f.visitor_id, f.rn,
              CASE WHEN f.occurred_at > w.entry_at + ${window} THEN f.occurred_at ELSE w.entry_at END,
              CASE WHEN f.occurred_at > w.entry_at + ${window} THEN f.device ELSE w.device END
       FROM walk w JOIN firsts f ON f.visitor_id = w.visitor_id AND f.rn = w.rn + 1),
     entries AS (SELECT DISTINCT visitor_id, entry_at, device FROM walk)
     SELECT e.device, to_char(e.entry_at AT TIME ZONE 'UTC', 'YYYY-MM-01"T00:00:00.000"') AS month,
            to_char(date_trunc('week', e.entry_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD"T00:00:00.000"') AS week,
            ${events.map((_e, i) => `s${i}.at AS at${i}`).join(', ')}
     FROM entries e
     CROSS JOIN LATERAL (SELECT e.entry_at AS at) s0
     ${lookups}`,
    { tenant: TENANT, ...Object.fromEntries(events.map((event, i) => [`event${i}`, event])) },
  );
  return (rows as Record<string, unknown>[]).map((row) => ({
    device: String(row.device),
    month: String(row.month),
    week: String(row.week),
    reached: events.map((_e, i) => (row[`at${i}`] === null ? null : new Date(row[`at${i}`] as string).getTime())),
  }));
}

function median(values: number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Funnel rows as Cube names them, grouped by the given keys of an entry. */
function funnelRows(cube: string, entries: Entry[], steps: number, keys: Record<string, (entry: Entry) => string>): Row[] {
  const groups = new Map<string, Entry[]>();
  for (const entry of entries) {
    const key = JSON.stringify(Object.values(keys).map((of) => of(entry)));
    groups.set(key, [...(groups.get(key) ?? []), entry]);
  }
  return [...groups].flatMap(([key, group]) =>
    Array.from({ length: steps }, (_x, k) => {
      const reached = group.filter((e) => e.reached[k] !== null);
      const row: Row = {
        [`${cube}.step_number`]: k + 1,
        [`${cube}.persons`]: reached.length,
        [`${cube}.entrants`]: group.length,
        [`${cube}.median_minutes_to_step`]: k ? median(reached.map((e) => (e.reached[k]! - e.reached[k - 1]!) / 60_000)) : null,
      };
      (JSON.parse(key) as string[]).forEach((value, i) => (row[Object.keys(keys)[i]!] = value));
      return row;
    }),
  );
}

let t: TestDatabase;
let raw: TestCube;
let rolled: TestCube;
let shop: Entry[];
let saas: Entry[];

beforeAll(async () => {
  t = await createTestDatabase();
  await t.db('tenants').insert({ id: TENANT, name: 'Generated', business_model: 'b2c' });
  const events = generateEvents();
  const customers = [...new Set(events.map((e) => e.customer_id).filter((c) => c !== null))];
  await t.db('customers').insert(
    customers.map((id, i) => ({
      tenant_id: TENANT,
      id,
      signup_at: '2025-12-01T00:00:00Z',
      plan: i % 2 ? 'pro' : 'free',
      segment: 'smb',
      country: 'US',
      acquisition_channel: 'organic',
    })),
  );
  await t.db.batchInsert('events', events, 500);
  [shop, saas] = [await oracleEntries(t.db, SHOP_STEPS, 7), await oracleEntries(t.db, SAAS_STEPS, 14)];
  raw = await startTestCube(t.url, { preAggregations: false });
  rolled = await startTestCube(t.url);
});
afterAll(async () => {
  await raw?.stop();
  await rolled?.stop();
  await t?.drop();
});

const byStep = (cube: string, measures: string[], granularity?: string, dimensions: string[] = []) => ({
  measures: measures.map((m) => `${cube}.${m}`),
  dimensions: [`${cube}.step_number`, ...dimensions],
  timeDimensions: [{ dimension: `${cube}.entered_at`, dateRange: RANGE, ...(granularity ? { granularity } : {}) }],
});
const without = (rows: Row[], members: string[]) =>
  rows.map((row) => Object.fromEntries(Object.entries(row).filter(([m]) => !members.includes(m))));

describe('funnels on generated journeys, against SQL of our own', () => {
  it('has a few thousand events and entries that reach every step', async () => {
    const [events] = (await t.db('events').count({ count: '*' })) as { count: string }[];
    expect(Number(events!.count)).toBeGreaterThan(2000);
    expect(shop.length).toBeGreaterThan(200);
    expect(shop.filter((e) => e.reached[4] !== null).length).toBeGreaterThan(5);
    expect(saas.filter((e) => e.reached[2] !== null).length).toBeGreaterThan(5);
  });

  it('gives the same persons, entrants and medians by month', async () => {
    const measures = ['persons', 'entrants', 'median_minutes_to_step'];
    const expected = funnelRows('purchase_funnel', shop, 5, { 'purchase_funnel.entered_at.month': (e) => e.month });
    const got = await raw.load(TENANT, byStep('purchase_funnel', measures, 'month'));
    expectSameNumbers(
      without(got, ['purchase_funnel.entered_at']),
      expected,
      measures.map((m) => `purchase_funnel.${m}`),
    );
    const activation = funnelRows('activation_funnel', saas, 3, { 'activation_funnel.entered_at.month': (e) => e.month });
    expectSameNumbers(
      without(await raw.load(TENANT, byStep('activation_funnel', measures, 'month')), ['activation_funnel.entered_at']),
      activation,
      measures.map((m) => `activation_funnel.${m}`),
    );
  });

  it('gives the same medians by step and month from the time-to-convert rollup (the board’s query)', async () => {
    const measures = ['purchase_funnel.median_minutes_to_step'];
    const expected = without(funnelRows('purchase_funnel', shop, 5, { 'purchase_funnel.entered_at.month': (e) => e.month }), [
      'purchase_funnel.persons',
      'purchase_funnel.entrants',
    ]);
    const body = await rolled.loadBody(TENANT, byStep('purchase_funnel', ['median_minutes_to_step'], 'month', ['purchase_funnel.step']));
    expect(Object.keys(body.usedPreAggregations)).toEqual([
      expect.stringContaining('purchase_funnel_funnel_rows'),
      expect.stringContaining('purchase_funnel_time_to_convert'),
    ]);
    expect(new Set(body.data.map((row) => row['purchase_funnel.entered_at.month'])).size).toBeGreaterThan(5);
    expectSameNumbers(without(body.data, ['purchase_funnel.entered_at', 'purchase_funnel.step']), expected, measures);
  });

  it('gives the same persons by week, from the rollup too', async () => {
    const measures = ['purchase_funnel.persons', 'purchase_funnel.entrants'];
    const expected = without(funnelRows('purchase_funnel', shop, 5, { 'purchase_funnel.entered_at.week': (e) => e.week }), [
      'purchase_funnel.median_minutes_to_step',
    ]);
    for (const cube of [raw, rolled]) {
      const body = await cube.loadBody(TENANT, byStep('purchase_funnel', ['persons', 'entrants'], 'week'));
      expectSameNumbers(without(body.data, ['purchase_funnel.entered_at']), expected, measures);
    }
    const body = await rolled.loadBody(TENANT, byStep('purchase_funnel', ['persons', 'entrants'], 'week'));
    expect(Object.keys(body.usedPreAggregations)).toEqual([
      expect.stringContaining('purchase_funnel_funnel_rows'),
      expect.stringContaining('purchase_funnel_steps_daily'),
    ]);
  });

  it('gives the same persons by the device of the first step, over the whole range', async () => {
    const measures = ['purchase_funnel.persons', 'purchase_funnel.entrants'];
    const expected = without(funnelRows('purchase_funnel', shop, 5, { 'purchase_funnel.device': (e) => e.device }), [
      'purchase_funnel.median_minutes_to_step',
    ]);
    for (const cube of [raw, rolled]) {
      expectSameNumbers(
        await cube.load(TENANT, byStep('purchase_funnel', ['persons', 'entrants'], undefined, ['purchase_funnel.device'])),
        expected,
        measures,
      );
    }
  });

  it('gives the same carts and conversions within a window, by month', async () => {
    const carts = await oracleEntries(t.db, ['add_to_cart', 'purchase'], 7);
    const expected = [...new Set(carts.map((c) => c.month))].map((month) => {
      const inMonth = carts.filter((c) => c.month === month);
      const abandoned = inMonth.filter((c) => c.reached[1] === null).length;
      return {
        'carts.created_at.month': month,
        'carts.carts': inMonth.length,
        'carts.abandoned_carts': abandoned,
        'carts.cart_abandonment_rate': (100 * abandoned) / inMonth.length,
      };
    });
    const query = {
      measures: ['carts.carts', 'carts.abandoned_carts', 'carts.cart_abandonment_rate'],
      timeDimensions: [{ dimension: 'carts.created_at', granularity: 'month', dateRange: RANGE }],
    };
    for (const cube of [raw, rolled])
      expectSameNumbers(without(await cube.load(TENANT, query), ['carts.created_at']), expected, query.measures);

    const views = await oracleEntries(t.db, ['product_view', 'purchase'], 7);
    const signUps = await oracleEntries(t.db, ['sign_up', 'feature_used'], 14);
    const [row] = await raw.load(TENANT, {
      measures: [
        'conversion_windows.view_to_purchase_rate_7d',
        'conversion_windows.sign_up_to_feature_rate_14d',
        'conversion_windows.product_viewers',
      ],
      timeDimensions: [{ dimension: 'conversion_windows.base_at', dateRange: RANGE }],
    });
    const share = (entries: Entry[]) => (100 * entries.filter((e) => e.reached[1] !== null).length) / entries.length;
    expect(Number(row!['conversion_windows.product_viewers'])).toBe(views.length);
    expect(Number(row!['conversion_windows.view_to_purchase_rate_7d'])).toBeCloseTo(share(views), 9);
    expect(Number(row!['conversion_windows.sign_up_to_feature_rate_14d'])).toBeCloseTo(share(signUps), 9);
  });
});
