import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedWarehouse } from '../../seeds/index.js';
import { tenantProfiles } from '../../seeds/tenants.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { UNTIL } from './helpers.js';

// The customer journey the events table tells, checked on one load.
const CUSTOMERS = 3000;
const SHOP_STEPS = ['product_view', 'add_to_cart', 'checkout_started', 'shipping_viewed', 'purchase'] as const;
let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
  await seedWarehouse(t.url, { customers: CUSTOMERS, seed: 42, until: UNTIL });
});
afterAll(() => t?.drop());

async function query<T>(sql: string): Promise<T[]> {
  return (await t.db.raw(sql)).rows as T[];
}

/**
 * The shop's events per step for each value of `by`: a visit's walk and an order's walk have at
 * most one event of each step, so counting events counts the walks that reached the step.
 */
async function stepsBy(by: 'device' | 'channel'): Promise<Record<string, number[]>> {
  const rows = await query<{ key: string; name: string; n: number }>(
    `SELECT ${by} AS key, name, count(*)::int AS n FROM events WHERE tenant_id = 'northwind' AND name IN (${SHOP_STEPS.map((s) => `'${s}'`).join(', ')}) GROUP BY 1, 2`,
  );
  const out: Record<string, number[]> = {};
  for (const row of rows) (out[row.key] ??= SHOP_STEPS.map(() => 0))[SHOP_STEPS.indexOf(row.name as (typeof SHOP_STEPS)[number])] = row.n;
  return out;
}

const overall = (steps: number[]) => steps[4]! / steps[0]!;

describe('purchase events', () => {
  it('are the orders exactly: one per order, same tenant, customer, time and amount, and no others', async () => {
    const [row] = await query<{ orders: number; purchases: number; matched: number }>(`
      SELECT (SELECT count(*) FROM orders)::int AS orders,
             (SELECT count(*) FROM events WHERE name = 'purchase')::int AS purchases,
             (SELECT count(*) FROM orders o JOIN events e
                ON e.tenant_id = o.tenant_id AND e.name = 'purchase' AND e.properties ->> 'order_id' = o.id
               AND e.customer_id = o.customer_id AND e.visitor_id = o.customer_id AND e.occurred_at = o.ordered_at AND e.value = o.amount)::int AS matched`);
    expect(row!.orders).toBeGreaterThan(1000);
    expect(row!.purchases).toBe(row!.orders);
    expect(row!.matched).toBe(row!.orders);
    const perTenant = await query<{ tenant_id: string; orders: number; purchases: number; amount: string; value: string }>(`
      SELECT o.tenant_id, o.orders, e.purchases, o.amount::text, e.value::text
        FROM (SELECT tenant_id, count(*)::int AS orders, sum(amount) AS amount FROM orders GROUP BY 1) o
        JOIN (SELECT tenant_id, count(*)::int AS purchases, sum(value) AS value FROM events WHERE name = 'purchase' GROUP BY 1) e USING (tenant_id)
       ORDER BY 1`);
    expect(perTenant.map((r) => r.tenant_id)).toEqual(['acme', 'lumen', 'northwind']);
    for (const r of perTenant) expect([r.purchases, r.value], r.tenant_id).toEqual([r.orders, r.amount]);
  });
});

describe('shop journeys', () => {
  it('lose the most carts where shipping costs appear, and about as many carts as Baymard’s average in all', async () => {
    const steps = Object.values(await stepsBy('device')).reduce((sum, s) => sum.map((n, i) => n + s[i]!));
    const rates = steps.slice(1).map((n, i) => n / steps[i]!);
    // Each step's share of the previous one: the last, shipping cost shown → purchase, is the lowest.
    expect(Math.min(...rates)).toBe(rates[3]);
    expect(rates[3]).toBeLessThan(rates[2]! - 0.2);
    // Carts not bought (Baymard Institute's documented average is about 70%).
    const abandoned = 1 - steps[4]! / steps[1]!;
    expect(abandoned).toBeGreaterThan(0.55);
    expect(abandoned).toBeLessThan(0.8);
  });

  it('convert more on desktop than on phones, and more from email than from social, as profiled', async () => {
    const byDevice = await stepsBy('device');
    const byChannel = await stepsBy('channel');
    const shop = tenantProfiles.find((p) => p.id === 'northwind')!.journey.shop!;
    expect(shop.devices.mobile).toBeLessThan(shop.devices.desktop);
    expect(overall(byDevice.desktop!)).toBeGreaterThan(overall(byDevice.mobile!) * 1.2);
    // Phones lose carts at checkout: their checkout → shipping step is well below desktop's.
    expect(byDevice.mobile![3]! / byDevice.mobile![2]!).toBeLessThan(byDevice.desktop![3]! / byDevice.desktop![2]! - 0.08);
    expect(overall(byChannel.email!)).toBeGreaterThan(overall(byChannel.social!) * 1.5);
  });

  it('happen in the web sessions: one page_view per session, with its visitor, channel, device and landing page', async () => {
    const [row] = await query<{ sessions: number; page_views: number; matched: number; orphans: number }>(`
      SELECT (SELECT count(*) FROM web_sessions)::int AS sessions,
             (SELECT count(*) FROM events WHERE name = 'page_view')::int AS page_views,
             (SELECT count(*) FROM web_sessions s JOIN events e ON e.tenant_id = s.tenant_id AND e.session_id = s.id AND e.name = 'page_view'
               AND e.visitor_id = s.visitor_id AND e.channel = s.channel AND e.device = s.device AND e.occurred_at = s.started_at
               AND e.properties ->> 'page' = s.landing_page)::int AS matched,
             (SELECT count(*) FROM events e WHERE e.session_id IS NOT NULL AND NOT EXISTS (
                SELECT 1 FROM web_sessions s WHERE s.tenant_id = e.tenant_id AND s.id = e.session_id
                   AND s.visitor_id = e.visitor_id AND s.channel = e.channel AND s.device = e.device))::int AS orphans`);
    expect(row!.page_views).toBe(row!.sessions);
    expect(row!.matched).toBe(row!.sessions);
    expect(row!.orphans).toBe(0);
  });

  it('include anonymous visitors who browse and leave without buying', async () => {
    const rows = await query<{ name: string; n: number }>(
      `SELECT name, count(*)::int AS n FROM events WHERE visitor_id LIKE 'A-%' GROUP BY 1 ORDER BY 1`,
    );
    const n = Object.fromEntries(rows.map((r) => [r.name, r.n]));
    expect(n.page_view).toBeGreaterThan(1000);
    expect(n.product_view).toBeGreaterThan(100);
    expect(n.shipping_viewed).toBeGreaterThan(0);
    expect(n.purchase).toBeUndefined();
    expect(n.sign_up).toBeUndefined();
  });
});

describe('product usage', () => {
  it('starts with one sign_up per customer of the software products, at signup, and onboarding for most', async () => {
    const rows = await query<{ tenant_id: string; customers: number; sign_ups: number; at_signup: number; onboarded: number }>(`
      SELECT c.tenant_id, count(*)::int AS customers, count(e.id)::int AS sign_ups,
             count(*) FILTER (WHERE e.occurred_at = c.signup_at)::int AS at_signup,
             count(*) FILTER (WHERE EXISTS (SELECT 1 FROM events o WHERE o.tenant_id = c.tenant_id AND o.customer_id = c.id AND o.name = 'onboarding_completed'))::int AS onboarded
        FROM customers c LEFT JOIN events e ON e.tenant_id = c.tenant_id AND e.customer_id = c.id AND e.name = 'sign_up'
       GROUP BY 1 ORDER BY 1`);
    expect(rows.map((r) => r.tenant_id)).toEqual(['acme', 'lumen', 'northwind']);
    for (const r of rows.slice(0, 2)) {
      expect([r.sign_ups, r.at_signup], r.tenant_id).toEqual([r.customers, r.customers]);
      expect(r.onboarded / r.customers, r.tenant_id).toBeGreaterThan(0.45);
      expect(r.onboarded / r.customers, r.tenant_id).toBeLessThan(0.85);
    }
    expect(rows[2]!.sign_ups).toBe(0);
  });

  it('fades with the customer’s age, the consumer app faster than the B2B product', async () => {
    // Share of signed-in visits that use a feature, in the first two weeks and after three months.
    const rows = await query<{ tenant_id: string; early: number; late: number }>(`
      SELECT s.tenant_id,
             avg((f.session_id IS NOT NULL)::int) FILTER (WHERE s.started_at < c.signup_at + interval '14 days')::float AS early,
             avg((f.session_id IS NOT NULL)::int) FILTER (WHERE s.started_at > c.signup_at + interval '90 days')::float AS late
        FROM web_sessions s JOIN customers c ON c.tenant_id = s.tenant_id AND c.id = s.customer_id
        LEFT JOIN (SELECT DISTINCT tenant_id, session_id FROM events WHERE name = 'feature_used') f ON f.tenant_id = s.tenant_id AND f.session_id = s.id
       WHERE s.started_at > c.signup_at AND s.tenant_id IN ('acme', 'lumen')
       GROUP BY 1 ORDER BY 1`);
    const [acme, lumen] = rows;
    expect(acme!.late).toBeLessThan(acme!.early - 0.1);
    expect(lumen!.late).toBeLessThan(lumen!.early - 0.2);
    expect(lumen!.late / lumen!.early).toBeLessThan(acme!.late / acme!.early);
    expect(acme!.late).toBeGreaterThan(0.3);
  });
});

describe('the events table', () => {
  it('stays within about twice as many rows as web_sessions', async () => {
    const [row] = await query<{ events: number; sessions: number }>(
      `SELECT (SELECT count(*) FROM events)::int AS events, (SELECT count(*) FROM web_sessions)::int AS sessions`,
    );
    expect(row!.events / row!.sessions).toBeGreaterThan(1.5);
    expect(row!.events / row!.sessions).toBeLessThan(2.1);
  });
});
