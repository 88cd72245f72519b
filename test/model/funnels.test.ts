import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startTestCube, type Row, type TestCube } from '../support/cube.js';
import { expectSameNumbers } from '../support/same-numbers.js';

// Hand-built journeys whose funnel, cart and conversion numbers are worked out below, read through
// a real Cube server over HTTP, with and without its rollups.
const SHOP = 'shop';
const SAAS = 'saas';
const RETURNS = 'returns';
const T0 = Date.parse('2026-03-02T10:00:00Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

interface Event {
  visitor: string;
  name: string;
  at: number;
  device?: string | null;
  channel?: string;
  customer?: string;
}
let nextId = 0;
const rowOf = (tenant: string, e: Event) => ({
  tenant_id: tenant,
  id: `E-${++nextId}`,
  visitor_id: e.visitor,
  customer_id: e.customer ?? null,
  name: e.name,
  occurred_at: new Date(e.at).toISOString(),
  device: e.device === undefined ? 'desktop' : e.device,
  channel: e.channel ?? 'organic',
});

// The purchase funnel, 7 days from the first product view. Steps reached per entry in brackets.
const shopEvents: Event[] = [
  // P1 [5]: every step, 10 minutes apart; buys as customer C1.
  { visitor: 'P1', name: 'product_view', at: T0, channel: 'email' },
  { visitor: 'P1', name: 'add_to_cart', at: T0 + 10 * MINUTE },
  { visitor: 'P1', name: 'checkout_started', at: T0 + 20 * MINUTE },
  { visitor: 'P1', name: 'shipping_viewed', at: T0 + 30 * MINUTE },
  { visitor: 'P1', name: 'purchase', at: T0 + 40 * MINUTE, customer: 'C1' },
  // P2 [2]: skips the checkout, so shipping and purchase do not count.
  { visitor: 'P2', name: 'product_view', at: T0, device: 'mobile' },
  { visitor: 'P2', name: 'add_to_cart', at: T0 + HOUR, device: 'mobile' },
  { visitor: 'P2', name: 'shipping_viewed', at: T0 + 2 * HOUR, device: 'mobile' },
  { visitor: 'P2', name: 'purchase', at: T0 + 3 * HOUR, device: 'mobile' },
  // P3 [3]: repeats the product view and the add to cart; each counts once, at its first time.
  { visitor: 'P3', name: 'product_view', at: T0, device: 'mobile' },
  { visitor: 'P3', name: 'product_view', at: T0 + HOUR, device: 'mobile' },
  { visitor: 'P3', name: 'add_to_cart', at: T0 + 2 * HOUR, device: 'mobile' },
  { visitor: 'P3', name: 'add_to_cart', at: T0 + 3 * HOUR, device: 'mobile' },
  { visitor: 'P3', name: 'checkout_started', at: T0 + 4 * HOUR, device: 'mobile' },
  // P4 [4]: buys one second after the 7 days.
  { visitor: 'P4', name: 'product_view', at: T0 },
  { visitor: 'P4', name: 'add_to_cart', at: T0 + DAY },
  { visitor: 'P4', name: 'checkout_started', at: T0 + 2 * DAY },
  { visitor: 'P4', name: 'shipping_viewed', at: T0 + 3 * DAY },
  { visitor: 'P4', name: 'purchase', at: T0 + 7 * DAY + 1000 },
  // P5 [2]: adds to cart exactly 7 days after the view, which still counts.
  { visitor: 'P5', name: 'product_view', at: T0 },
  { visitor: 'P5', name: 'add_to_cart', at: T0 + 7 * DAY },
  // P6 [1]: out of order, the cart before the view; the checkout then has no cart before it. No device known.
  { visitor: 'P6', name: 'add_to_cart', at: T0 - HOUR, device: null },
  { visitor: 'P6', name: 'product_view', at: T0, device: null },
  { visitor: 'P6', name: 'checkout_started', at: T0 + HOUR, device: null },
  // P7 enters twice: [2] on a phone, and 10 days later, after the first window, [5] on a desktop as C7.
  { visitor: 'P7', name: 'product_view', at: T0, device: 'mobile' },
  { visitor: 'P7', name: 'add_to_cart', at: T0 + HOUR, device: 'mobile' },
  { visitor: 'P7', name: 'product_view', at: T0 + 10 * DAY },
  { visitor: 'P7', name: 'add_to_cart', at: T0 + 10 * DAY + HOUR },
  { visitor: 'P7', name: 'checkout_started', at: T0 + 10 * DAY + 2 * HOUR },
  { visitor: 'P7', name: 'shipping_viewed', at: T0 + 10 * DAY + 3 * HOUR },
  { visitor: 'P7', name: 'purchase', at: T0 + 10 * DAY + 4 * HOUR, customer: 'C7' },
  // P8: no product view (not in the funnel); a cart in April bought one second after its 7 days.
  { visitor: 'P8', name: 'add_to_cart', at: Date.parse('2026-04-20T10:00:00Z') },
  { visitor: 'P8', name: 'purchase', at: Date.parse('2026-04-20T10:00:00Z') + 7 * DAY + 1000 },
];

// The activation funnel, 14 days from the sign-up.
const saasEvents: Event[] = [
  // A1 [3]: one day apart.
  { visitor: 'A1', name: 'sign_up', at: T0 },
  { visitor: 'A1', name: 'onboarding_completed', at: T0 + DAY },
  { visitor: 'A1', name: 'feature_used', at: T0 + 2 * DAY },
  // A2 [2]: uses a feature before onboarding, which does not count for step 3.
  { visitor: 'A2', name: 'sign_up', at: T0 },
  { visitor: 'A2', name: 'feature_used', at: T0 + DAY },
  { visitor: 'A2', name: 'onboarding_completed', at: T0 + 3 * DAY },
  // A3 [1]: onboarding one second after the 14 days.
  { visitor: 'A3', name: 'sign_up', at: T0 },
  { visitor: 'A3', name: 'onboarding_completed', at: T0 + 14 * DAY + 1000 },
  // A4 [3]: the feature exactly 14 days after the sign-up.
  { visitor: 'A4', name: 'sign_up', at: T0 },
  { visitor: 'A4', name: 'onboarding_completed', at: T0 + HOUR },
  { visitor: 'A4', name: 'feature_used', at: T0 + 14 * DAY },
];

// R1 views products every 5 or 6 days: one run of product views longer than the 7-day window, in
// which each entry depends on the one before. Entries: day 0; day 5 repeats it (within 7 days);
// day 10 is after its window, a new entry; day 15 repeats that; day 21 (after day 17) a new one.
const returningEvents: Event[] = [
  ...[0, 5, 10, 15, 21].map((day) => ({ visitor: 'R1', name: 'product_view', at: T0 + day * DAY })),
  { visitor: 'R1', name: 'add_to_cart', at: T0 + 6 * DAY }, // entry day 0 [2]
  { visitor: 'R1', name: 'add_to_cart', at: T0 + 11 * DAY }, // entry day 10 …
  { visitor: 'R1', name: 'checkout_started', at: T0 + 12 * DAY }, // … [3]; entry day 21 [1]
];

const MARCH = ['2026-03-01', '2026-03-31'];
const steps = (cube: string, measures: string[], extra: Record<string, unknown> = {}) => ({
  measures: measures.map((m) => `${cube}.${m}`),
  dimensions: [`${cube}.step_number`, `${cube}.step`, ...((extra.dimensions as string[]) ?? [])],
  timeDimensions: [{ dimension: `${cube}.entered_at`, dateRange: (extra.dateRange as string[]) ?? MARCH }],
  order: { [`${cube}.step_number`]: 'asc' },
});
const column = (rows: Row[], member: string) => rows.map((row) => (row[member] === null ? null : Number(row[member])));

let t: TestDatabase;
let withRollups: TestCube;
let withoutRollups: TestCube;

beforeAll(async () => {
  t = await createTestDatabase();
  await t.db('tenants').insert([
    { id: SHOP, name: 'Shop', business_model: 'b2c' },
    { id: SAAS, name: 'SaaS', business_model: 'b2b' },
    { id: RETURNS, name: 'Returning visitor', business_model: 'b2c' },
  ]);
  const customer = (id: string, segment: string, plan: string) => ({
    tenant_id: SHOP,
    id,
    signup_at: '2026-01-01T00:00:00Z',
    plan,
    segment,
    country: 'US',
    acquisition_channel: 'organic',
  });
  await t.db('customers').insert([customer('C1', 'smb', 'pro'), customer('C7', 'enterprise', 'starter')]);
  await t
    .db('events')
    .insert([
      ...shopEvents.map((e) => rowOf(SHOP, e)),
      ...saasEvents.map((e) => rowOf(SAAS, e)),
      ...returningEvents.map((e) => rowOf(RETURNS, e)),
    ]);
  withRollups = await startTestCube(t.url);
  withoutRollups = await startTestCube(t.url, { preAggregations: false });
});
afterAll(async () => {
  await withRollups?.stop();
  await withoutRollups?.stop();
  await t?.drop();
});

const FUNNEL = ['persons', 'entrants', 'step_conversion_rate', 'overall_conversion_rate', 'drop_off'];

describe('the purchase funnel on hand-built journeys', () => {
  it('counts each entry at the steps it reached in order within 7 days', async () => {
    const rows = await withoutRollups.load(SHOP, steps('purchase_funnel', FUNNEL));
    expect(rows.map((r) => r['purchase_funnel.step'])).toEqual([
      'Product view',
      'Add to cart',
      'Checkout',
      'Shipping cost shown',
      'Purchase',
    ]);
    // Entries P1–P6, P7 twice. Cart: all but P6. Checkout: P1, P3, P4, P7's second. Shipping: P1, P4, P7's second. Purchase: P1, P7's second.
    expect(column(rows, 'purchase_funnel.persons')).toEqual([8, 7, 4, 3, 2]);
    expect(column(rows, 'purchase_funnel.entrants')).toEqual([8, 8, 8, 8, 8]);
    expect(column(rows, 'purchase_funnel.drop_off')).toEqual([0, 1, 3, 1, 1]);
    const step = column(rows, 'purchase_funnel.step_conversion_rate');
    [100, 87.5, (100 * 4) / 7, 75, (100 * 2) / 3].forEach((value, i) => expect(step[i]).toBeCloseTo(value, 9));
    expect(column(rows, 'purchase_funnel.overall_conversion_rate')).toEqual([100, 87.5, 50, 37.5, 25]);
  });

  it('takes the median minutes from the previous step among those who reached it', async () => {
    const rows = await withoutRollups.load(SHOP, steps('purchase_funnel', ['median_minutes_to_step']));
    // Cart: 10, 60 (P2), 120 (P3 from its first view to its first add), 1440, 10080 (P5), 60, 60 → 60.
    // Checkout: 10, 120, 1440, 60 → 90. Shipping: 10, 1440, 60 → 60. Purchase: 10, 60 → 35.
    expect(column(rows, 'purchase_funnel.median_minutes_to_step')).toEqual([null, 60, 90, 60, 35]);
  });

  it('counts a person who enters twice once per entry, and a date range counts the entries that began in it', async () => {
    const early = await withoutRollups.load(SHOP, steps('purchase_funnel', ['persons'], { dateRange: ['2026-03-01', '2026-03-10'] }));
    expect(column(early, 'purchase_funnel.persons')).toEqual([7, 6, 3, 2, 1]);
    const late = await withoutRollups.load(SHOP, steps('purchase_funnel', ['persons'], { dateRange: ['2026-03-11', '2026-03-31'] }));
    expect(column(late, 'purchase_funnel.persons')).toEqual([1, 1, 1, 1, 1]);
  });

  it('breaks down by the device of each entry’s first step, unknown where the source has none', async () => {
    const rows = await withoutRollups.load(SHOP, steps('purchase_funnel', ['persons'], { dimensions: ['purchase_funnel.device'] }));
    const byDevice = (device: string) =>
      column(
        rows.filter((r) => r['purchase_funnel.device'] === device),
        'purchase_funnel.persons',
      );
    expect(byDevice('desktop')).toEqual([4, 4, 3, 3, 2]); // P1, P4, P5, P7's second
    expect(byDevice('mobile')).toEqual([3, 3, 1, 0, 0]); // P2, P3, P7's first
    expect(byDevice('unknown')).toEqual([1, 0, 0, 0, 0]); // P6
  });

  it('breaks down by the segment of the customer the visitor is, every entry of that visitor included', async () => {
    const rows = await withoutRollups.load(SHOP, {
      measures: ['purchase_funnel.persons'],
      dimensions: ['customers.segment'],
      filters: [{ member: 'purchase_funnel.step_number', operator: 'equals', values: ['1'] }],
      timeDimensions: [{ dimension: 'purchase_funnel.entered_at', dateRange: MARCH }],
    });
    const bySegment = Object.fromEntries(rows.map((r) => [String(r['customers.segment']), Number(r['purchase_funnel.persons'])]));
    expect(bySegment).toEqual({ smb: 1, enterprise: 2, null: 5 });
  });

  it('starts each entry after the window of the one before, inside a run of views longer than a window', async () => {
    const march = await withoutRollups.load(RETURNS, steps('purchase_funnel', ['persons']));
    expect(column(march, 'purchase_funnel.persons')).toEqual([3, 2, 1, 0, 0]);
    // Days 5 to 14 (7 to 16 March): the entry of day 10 only, not the repeats of days 5 and 15.
    const middle = await withoutRollups.load(RETURNS, steps('purchase_funnel', ['persons'], { dateRange: ['2026-03-07', '2026-03-16'] }));
    expect(column(middle, 'purchase_funnel.persons')).toEqual([1, 1, 1, 0, 0]);
  });

  it("reads only the tenant's own events", async () => {
    expect(await withoutRollups.load(SHOP, steps('activation_funnel', ['persons']))).toEqual([]);
  });
});

describe('the activation funnel on hand-built journeys', () => {
  it('counts the steps reached in order within 14 days, the end of the window included', async () => {
    const rows = await withoutRollups.load(SAAS, steps('activation_funnel', [...FUNNEL, 'median_minutes_to_step']));
    expect(column(rows, 'activation_funnel.persons')).toEqual([4, 3, 2]);
    expect(column(rows, 'activation_funnel.drop_off')).toEqual([0, 1, 1]);
    expect(column(rows, 'activation_funnel.overall_conversion_rate')).toEqual([100, 75, 50]);
    const step = column(rows, 'activation_funnel.step_conversion_rate');
    [100, 75, (100 * 2) / 3].forEach((value, i) => expect(step[i]).toBeCloseTo(value, 9));
    // Onboarding: 1440 (A1), 4320 (A2), 60 (A4) → 1440. Feature: 1440 (A1), 14 days − 1 hour = 20100 (A4) → 10770.
    expect(column(rows, 'activation_funnel.median_minutes_to_step')).toEqual([null, 1440, 10770]);
  });
});

describe('carts and conversion within a window', () => {
  it('abandons a cart not bought within 7 days of its first add, one second late included', async () => {
    const rows = await withoutRollups.load(SHOP, {
      measures: ['carts.carts', 'carts.abandoned_carts', 'carts.cart_abandonment_rate'],
      timeDimensions: [{ dimension: 'carts.created_at', granularity: 'month', dateRange: ['2026-03-01', '2026-04-30'] }],
      order: { 'carts.created_at': 'asc' },
    });
    // March: P1, P2, P4 and P7's second cart bought; P3 (added twice: one cart), P5, P6 and P7's first abandoned.
    // April: P8's cart, bought one second after its 7 days.
    expect(column(rows, 'carts.carts')).toEqual([8, 1]);
    expect(column(rows, 'carts.abandoned_carts')).toEqual([4, 1]);
    expect(column(rows, 'carts.cart_abandonment_rate')).toEqual([50, 100]);
  });

  it('gives the share of base events followed by the conversion within N days', async () => {
    const [shop] = await withoutRollups.load(SHOP, {
      measures: [
        'conversion_windows.product_viewers',
        'conversion_windows.purchased_within_7_days',
        'conversion_windows.view_to_purchase_rate_7d',
      ],
      timeDimensions: [{ dimension: 'conversion_windows.base_at', dateRange: MARCH }],
    });
    // Bought within 7 days of the view: P1, P2 (the skipped checkout does not matter here), P7's second entry.
    expect(column([shop!], 'conversion_windows.product_viewers')).toEqual([8]);
    expect(column([shop!], 'conversion_windows.purchased_within_7_days')).toEqual([3]);
    expect(column([shop!], 'conversion_windows.view_to_purchase_rate_7d')).toEqual([37.5]);
    const [saas] = await withoutRollups.load(SAAS, {
      measures: [
        'conversion_windows.sign_ups',
        'conversion_windows.feature_used_within_14_days',
        'conversion_windows.sign_up_to_feature_rate_14d',
      ],
      timeDimensions: [{ dimension: 'conversion_windows.base_at', dateRange: MARCH }],
    });
    // A feature after the sign-up within 14 days: A1, A2 (before onboarding counts here), A4 (exactly 14 days).
    expect(column([saas!], 'conversion_windows.sign_up_to_feature_rate_14d')).toEqual([75]);
    expect(column([saas!], 'conversion_windows.sign_ups')).toEqual([4]);
  });
});

// The Customer journey board's queries 1–5 (notes/JOURNEY.md), on the hand-built tenants.
const boardQueries: [string, string, Record<string, unknown>, string][] = [
  [
    SHOP,
    'purchase funnel',
    steps('purchase_funnel', ['persons', 'step_conversion_rate', 'overall_conversion_rate', 'drop_off']),
    'purchase_funnel_steps_daily',
  ],
  [
    SHOP,
    'purchase funnel by device',
    steps('purchase_funnel', ['persons', 'step_conversion_rate', 'overall_conversion_rate', 'drop_off'], {
      dimensions: ['purchase_funnel.device'],
    }),
    'purchase_funnel_steps_daily',
  ],
  [
    SAAS,
    'activation funnel',
    steps('activation_funnel', ['persons', 'step_conversion_rate', 'overall_conversion_rate', 'drop_off']),
    'activation_funnel_steps_daily',
  ],
  [
    SHOP,
    'cart abandonment',
    {
      measures: ['carts.cart_abandonment_rate'],
      timeDimensions: [{ dimension: 'carts.created_at', granularity: 'month', dateRange: ['2026-01-01', '2026-04-30'] }],
    },
    'carts_monthly',
  ],
  [
    SHOP,
    'time to convert',
    // By month over the board's date range: a median is matched only at its rollup's granularity.
    {
      measures: ['purchase_funnel.median_minutes_to_step'],
      dimensions: ['purchase_funnel.step_number', 'purchase_funnel.step'],
      timeDimensions: [{ dimension: 'purchase_funnel.entered_at', granularity: 'month', dateRange: ['2026-01-01', '2026-04-30'] }],
    },
    'purchase_funnel_time_to_convert',
  ],
];

describe('the journey board from rollups', () => {
  it.each(boardQueries)('%s › %s: answered from a rollup with the raw numbers', async (tenant, _name, query, rollup) => {
    const rolled = await withRollups.loadBody(tenant, query);
    const raw = await withoutRollups.loadBody(tenant, query);
    // The rollup, and the funnel's rows it was built from (the cube's original_sql pre-aggregation).
    const cube = (query.measures as string[])[0]!.split('.')[0]!;
    expect(Object.keys(rolled.usedPreAggregations)).toEqual([
      expect.stringContaining(`.${cube}_funnel_rows`),
      expect.stringContaining(rollup),
    ]);
    expect(Object.keys(raw.usedPreAggregations)).toEqual([]);
    expect(raw.data.length).toBeGreaterThan(0);
    expectSameNumbers(rolled.data, raw.data, query.measures as string[]);
  });
});
