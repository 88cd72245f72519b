import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startTestCube, type Row, type TestCube } from '../support/cube.js';

// RFM segments, segment flows and health scores (issue 15, items 1–2) on a hand-built tenant, every
// number worked out below. Data through 2025-04-30, so observed until 2025-05-01: April is the last
// complete month and March's "next month" is observed.
const SHOP = 'rfm_shop';
const OTHER = 'rfm_other'; // the same customer ids, other numbers: a token for SHOP never sees them

let t: TestDatabase;
let cube: TestCube;
let nextId = 1;

/**
 * A–E sign up 2025-01-05 with a subscription (B's ends 2025-04-15, D's 2025-03-20); L signed up
 * 2024-01-10 and N 2025-03-10, neither subscribes. Orders (00:00 UTC unless noted):
 *   A  2025-01-05 $100, 2025-03-25 $100, 2025-03-30T12:00 $100
 *   B  2025-01-10 $50, 2025-02-20 $50
 *   C  2025-03-01 $500
 *   D  2025-01-06 $20
 *   E  2025-02-01, 02-02, 02-03, 02-04, $10 each
 *   L  2024-01-15 $80, and web sessions on 2024-11-10 and 2024-11-15
 * Surveys: A NPS 4 on 2025-01-20 then NPS 9 on 2025-02-10; B CSAT 2 on 2025-03-05; L NPS 8 on
 * 2024-02-10 (more than 12 months before March 2025's end).
 * Tickets: A two opened 2025-03-28 (one resolved 2025-04-02); B one opened 2025-03-10, open;
 * E one opened 2025-02-01, resolved 2025-03-31T10:00; N one opened 2025-01-15, before its signup,
 * resolved 2025-03-20.
 */
async function seed(): Promise<void> {
  await t.db('tenants').insert([
    { id: SHOP, name: SHOP, business_model: 'b2c', data_through: '2025-04-30T00:00:00Z' },
    { id: OTHER, name: OTHER, business_model: 'b2c', data_through: '2025-04-30T00:00:00Z' },
  ]);
  const customer = (tenant: string, id: string, signup: string) =>
    t.db('customers').insert({ id, tenant_id: tenant, signup_at: signup, plan: 'standard', segment: 'smb', country: 'US' });
  const subscription = (id: string, end: string | null) =>
    t.db('subscriptions').insert({
      id: `S-${nextId++}`,
      tenant_id: SHOP,
      customer_id: id,
      started_at: '2025-01-05T00:00:00Z',
      ended_at: end,
      mrr: 10,
    });
  const order = (tenant: string, id: string, at: string, amount: number) =>
    t.db('orders').insert({ id: `O-${nextId++}`, tenant_id: tenant, customer_id: id, ordered_at: at, amount });
  const survey = (id: string, kind: string, score: number, at: string) =>
    t.db('survey_responses').insert({ id: `R-${nextId++}`, tenant_id: SHOP, customer_id: id, kind, score, responded_at: at });
  const ticket = (id: string, opened: string, resolved: string | null) =>
    t
      .db('support_tickets')
      .insert({ id: `T-${nextId++}`, tenant_id: SHOP, customer_id: id, opened_at: opened, resolved_at: resolved, contacts: 1 });

  for (const id of ['A', 'B', 'C', 'D', 'E']) await customer(SHOP, id, '2025-01-05T00:00:00Z');
  await customer(SHOP, 'L', '2024-01-10T00:00:00Z');
  await customer(SHOP, 'N', '2025-03-10T00:00:00Z');
  for (const [id, end] of [
    ['A', null],
    ['B', '2025-04-15T00:00:00Z'],
    ['C', null],
    ['D', '2025-03-20T00:00:00Z'],
    ['E', null],
  ] as const)
    await subscription(id, end);
  await order(SHOP, 'A', '2025-01-05T00:00:00Z', 100);
  await order(SHOP, 'A', '2025-03-25T00:00:00Z', 100);
  await order(SHOP, 'A', '2025-03-30T12:00:00Z', 100);
  await order(SHOP, 'B', '2025-01-10T00:00:00Z', 50);
  await order(SHOP, 'B', '2025-02-20T00:00:00Z', 50);
  await order(SHOP, 'C', '2025-03-01T00:00:00Z', 500);
  await order(SHOP, 'D', '2025-01-06T00:00:00Z', 20);
  for (const day of ['01', '02', '03', '04']) await order(SHOP, 'E', `2025-02-${day}T00:00:00Z`, 10);
  await order(SHOP, 'L', '2024-01-15T00:00:00Z', 80);
  for (const at of ['2024-11-10T00:00:00Z', '2024-11-15T00:00:00Z'])
    await t.db('web_sessions').insert({
      id: `W-${nextId++}`,
      tenant_id: SHOP,
      visitor_id: 'v-L',
      customer_id: 'L',
      started_at: at,
      duration_seconds: 60,
      pageviews: 2,
      converted: false,
    });
  await survey('A', 'nps', 4, '2025-01-20T00:00:00Z');
  await survey('A', 'nps', 9, '2025-02-10T00:00:00Z');
  await survey('B', 'csat', 2, '2025-03-05T00:00:00Z');
  await survey('L', 'nps', 8, '2024-02-10T00:00:00Z');
  await ticket('A', '2025-03-28T00:00:00Z', null);
  await ticket('A', '2025-03-28T00:00:00Z', '2025-04-02T00:00:00Z');
  await ticket('B', '2025-03-10T00:00:00Z', null);
  await ticket('E', '2025-02-01T00:00:00Z', '2025-03-31T10:00:00Z');
  await ticket('N', '2025-01-15T00:00:00Z', '2025-03-20T00:00:00Z'); // opened before N signed up

  // The other tenant: the same ids, one big spender, so a leak would show in SHOP's numbers.
  for (const id of ['A', 'B']) await customer(OTHER, id, '2025-01-05T00:00:00Z');
  await order(OTHER, 'A', '2025-03-31T00:00:00Z', 9999);
  await order(OTHER, 'B', '2025-01-02T00:00:00Z', 1);
}

beforeAll(async () => {
  t = await createTestDatabase();
  await seed();
  cube = await startTestCube(t.url, { preAggregations: false });
});
afterAll(async () => {
  await cube?.stop();
  await t?.drop();
});

const month = (dimension: string, m: string) => ({
  timeDimensions: [{ dimension, dateRange: [`${m}-01`, `${m}-01`], granularity: 'month' }],
});
const num = (value: Row[string] | undefined) => (value === null || value === undefined ? null : Number(value));

async function perCustomer(tenant: string, cubeName: string, m: string, members: string[]): Promise<Record<string, unknown[]>> {
  const rows = await cube.load(tenant, {
    dimensions: [`${cubeName}.customer_id`, ...members.map((x) => `${cubeName}.${x}`)],
    ...month(`${cubeName}.month`, m),
    order: { [`${cubeName}.customer_id`]: 'asc' },
  });
  return Object.fromEntries(
    rows.map((r) => [
      r[`${cubeName}.customer_id`],
      members.map((x) => {
        const v = r[`${cubeName}.${x}`];
        return typeof v === 'string' && !/^-?[\d.]+$/.test(v) ? v : num(v);
      }),
    ]),
  );
}

const RFM = ['recency_days', 'frequency', 'monetary', 'r_score', 'f_score', 'm_score', 'fm_score', 'segment'];

describe('RFM scores and segments', () => {
  // March 2025, as of 2025-04-01T00:00Z; the window is April 2024 – March 2025. Five customers
  // bought in it (n = 5, so score = rank). L bought only in January 2024: Lost, no scores. N never
  // bought: no row.
  //   recency: A 1 (1.5 days), B 40, C 31, D 85, E 56 → R (oldest first) D1 E2 B3 C4 A5
  //   frequency: C 1, D 1, B 2, A 3, E 4 → C and D tie at rank 1: F C1 D1 B3 A4 E5
  //   monetary: D 20, E 40, B 100, A 300, C 500 → M D1 E2 B3 A4 C5
  //   FM = ⌊(F + M + 1) / 2⌋: A 4, B 3, C 3, D 1, E 4
  //   segments: A R5 FM4 Champions, B R3 FM3 Need attention, C R4 FM3 Potential loyalist,
  //   D R1 FM1 Lost, E R2 FM4 At risk
  it('as of the end of March', async () => {
    expect(await perCustomer(SHOP, 'customer_segments', '2025-03', RFM)).toEqual({
      A: [1, 3, 300, 5, 4, 4, 4, 'Champions'],
      B: [40, 2, 100, 3, 3, 3, 3, 'Need attention'],
      C: [31, 1, 500, 4, 1, 5, 3, 'Potential loyalist'],
      D: [85, 1, 20, 1, 1, 1, 1, 'Lost'],
      E: [56, 4, 40, 2, 5, 2, 4, 'At risk'],
      L: [442, 0, 0, null, null, null, null, 'Lost'],
    });
  });

  // February, as of 2025-03-01: C's order at 00:00 on March 1 is not before it, so C has no row.
  // n = 4, score = 1 + ⌊5 (rank − 1) / 4⌋: ranks 1, 2, 3, 4 → scores 1, 2, 3, 4.
  //   recency: A 55, D 54, E 25, B 9 → R A1 D2 E3 B4
  //   frequency: A 1, D 1, B 2, E 4 → F A1 D1 B3 E4;  monetary: D 20, E 40, A 100, B 100 → M D1 E2 A3 B3
  //   FM: A 2, B 3, D 1, E 3 → A Hibernating, B Potential loyalist, D Hibernating, E Need attention
  it('as of the end of February, ties sharing a score', async () => {
    expect(await perCustomer(SHOP, 'customer_segments', '2025-02', RFM)).toEqual({
      A: [55, 1, 100, 1, 1, 3, 2, 'Hibernating'],
      B: [9, 2, 100, 4, 3, 3, 3, 'Potential loyalist'],
      D: [54, 1, 20, 2, 1, 1, 1, 'Hibernating'],
      E: [25, 4, 40, 3, 4, 2, 3, 'Need attention'],
      L: [411, 0, 0, null, null, null, null, 'Lost'],
    });
  });

  it('segment sizes per month', async () => {
    const rows = await cube.load(SHOP, {
      measures: ['customer_segments.customers', 'customer_segments.window_spend'],
      dimensions: ['customer_segments.segment'],
      timeDimensions: [{ dimension: 'customer_segments.month', dateRange: ['2025-03-01', '2025-03-31'], granularity: 'month' }],
      order: { 'customer_segments.segment': 'asc' },
    });
    expect(
      rows.map((r) => [r['customer_segments.segment'], num(r['customer_segments.customers']), num(r['customer_segments.window_spend'])]),
    ).toEqual([
      ['At risk', 1, 40],
      ['Champions', 1, 300],
      ['Lost', 2, 20],
      ['Need attention', 1, 100],
      ['Potential loyalist', 1, 500],
    ]);
  });

  // February → March: A Hibernating → Champions, B Potential loyalist → Need attention, C new
  // (None) → Potential loyalist, D Hibernating → Lost, E Need attention → At risk, L stays Lost.
  it('movement between segments from February to March', async () => {
    const rows = await cube.load(SHOP, {
      measures: ['customer_segment_flows.customers', 'customer_segment_flows.moved_customers'],
      dimensions: ['customer_segment_flows.from_segment', 'customer_segment_flows.to_segment'],
      ...month('customer_segment_flows.month', '2025-03'),
      order: [
        ['customer_segment_flows.from_segment', 'asc'],
        ['customer_segment_flows.to_segment', 'asc'],
      ],
    });
    expect(
      rows.map((r) => [
        r['customer_segment_flows.from_segment'],
        r['customer_segment_flows.to_segment'],
        num(r['customer_segment_flows.customers']),
        num(r['customer_segment_flows.moved_customers']),
      ]),
    ).toEqual([
      ['Hibernating', 'Champions', 1, 1],
      ['Hibernating', 'Lost', 1, 1],
      ['Lost', 'Lost', 1, 0],
      ['Need attention', 'At risk', 1, 1],
      ['None', 'Potential loyalist', 1, 1],
      ['Potential loyalist', 'Need attention', 1, 1],
    ]);
  });

  // Revenue of March by the segment customers had at the end of March: A's $200 (Champions), C's
  // $500 (Potential loyalist). Through orders → customers → customer_segments, month picked by filter.
  it('breaks another KPI down by segment for a chosen month', async () => {
    const rows = await cube.load(SHOP, {
      measures: ['orders.revenue'],
      dimensions: ['customer_segments.segment'],
      filters: [{ member: 'customer_segments.month', operator: 'inDateRange', values: ['2025-03-01', '2025-03-31'] }],
      timeDimensions: [{ dimension: 'orders.ordered_at', dateRange: ['2025-03-01', '2025-03-31'] }],
      order: { 'customer_segments.segment': 'asc' },
    });
    expect(rows.map((r) => [r['customer_segments.segment'], num(r['orders.revenue'])])).toEqual([
      ['Champions', 200],
      ['Potential loyalist', 500],
    ]);
  });

  // Of the subscribers scored at March's end (A, B, C, E; D's subscription ended on March 20, L
  // has none), B (Need attention) is lost on April 15.
  it('churn the month after by segment', async () => {
    const rows = await cube.load(SHOP, {
      measures: ['customer_segments.next_month_observed', 'customer_segments.next_month_churn_rate'],
      dimensions: ['customer_segments.segment'],
      ...month('customer_segments.month', '2025-03'),
      order: { 'customer_segments.segment': 'asc' },
    });
    expect(
      rows.map((r) => [
        r['customer_segments.segment'],
        num(r['customer_segments.next_month_observed']),
        num(r['customer_segments.next_month_churn_rate']),
      ]),
    ).toEqual([
      ['At risk', 1, 0],
      ['Champions', 1, 0],
      ['Lost', 0, null],
      ['Need attention', 1, 100],
      ['Potential loyalist', 1, 0],
    ]);
  });

  it("a tenant's token sees its own customers only", async () => {
    const other = await perCustomer(OTHER, 'customer_segments', '2025-03', ['frequency', 'monetary', 'segment']);
    // OTHER: A bought $9999 on March 31, B $1 on January 2: n = 2, so ranks 1 and 2 score 1 and
    // 1 + ⌊5/2⌋ = 3: A R3 F1 M3 FM2 About to sleep, B R1 F1 M1 Lost.
    expect(other).toEqual({ A: [1, 9999, 'About to sleep'], B: [1, 1, 'Lost'] });
    const shop = await cube.load(SHOP, { measures: ['customer_segments.window_spend'], ...month('customer_segments.month', '2025-03') });
    expect(num(shop[0]!['customer_segments.window_spend'])).toBe(960);
  });
});

describe('health score', () => {
  // March 2025: the customers still customers at its end: A, B, C, E (subscribed), L and N
  // (no subscriptions); D's ended on March 20.
  //   recency (whole days since the latest order or session; 100 − days × 100/90, floor 0):
  //     A 1 day, B 40, C 31, E 56, L 137 (last session 2024-11-15) → 0, N none → 0
  //   frequency (orders + sessions in Jan–Mar: A 3, B 2, C 1, E 4, L 0, N 0; 100 × PERCENT_RANK,
  //     ranks L,N 1, C 3, B 4, A 5, E 6, over n − 1 = 5): A 80, B 60, C 40, E 100, L 0, N 0
  //   trend (Jan–Mar against Oct–Dec): A, B, C, E bought only lately → 100; L 0 against 2 → 0; N 0/0 → 50
  //   sentiment: A's latest answer NPS 9 → 90; B CSAT 2 → 25; L's NPS is older than 12 months → none
  //   support: A 2 open tickets → 0; B 1 → 50; E's was resolved on March 31 → 100; N's, opened
  //     before its signup month, was resolved on March 20 → 0 open, 100
  const a = 0.3 * (100 - 100 / 90) + 0.2 * 80 + 0.15 * 100 + 0.1 * 0 + 0.25 * 90;
  const b = 0.3 * (100 - (40 * 100) / 90) + 0.2 * 60 + 0.15 * 100 + 0.1 * 50 + 0.25 * 25;
  // Without an answer the other weights (0.75 in all) are scaled up to 1.
  const c = (0.3 * (100 - (31 * 100) / 90) + 0.2 * 40 + 0.15 * 100 + 0.1 * 100) / 0.75;
  const e = (0.3 * (100 - (56 * 100) / 90) + 0.2 * 100 + 0.15 * 100 + 0.1 * 100) / 0.75;
  const l = (0.1 * 100) / 0.75;
  const n = (0.15 * 50 + 0.1 * 100) / 0.75;

  it('per customer, with its inputs and band', async () => {
    const got = await perCustomer(SHOP, 'customer_health_scores', '2025-03', [
      'recency_points',
      'frequency_points',
      'trend_points',
      'sentiment_points',
      'support_points',
      'health_score',
      'health_band',
    ]);
    expect(Object.keys(got)).toEqual(['A', 'B', 'C', 'E', 'L', 'N']);
    const expected: Record<string, [number, number, number, number | null, number, number, string]> = {
      A: [100 - 100 / 90, 80, 100, 90, 0, a, 'healthy'], // 83.17
      B: [100 - 4000 / 90, 60, 100, 25, 50, b, 'neutral'], // 54.92
      C: [100 - 3100 / 90, 40, 100, null, 100, c, 'healthy'], // 70.22
      E: [100 - 5600 / 90, 100, 100, null, 100, e, 'healthy'], // 75.11
      L: [0, 0, 0, null, 100, l, 'at risk'], // 13.33
      N: [0, 0, 50, null, 100, n, 'at risk'], // 23.33
    };
    for (const [id, values] of Object.entries(expected)) {
      values.forEach((value, i) => {
        const actual = got[id]![i];
        if (typeof value === 'number') expect(actual, `${id} #${i}`).toBeCloseTo(value, 9);
        else expect(actual, `${id} #${i}`).toBe(value);
      });
    }
  });

  // Next month (April, observed until May 1): of the subscribers scored in March, B (neutral) is
  // lost on April 15; A, C, E (healthy) stay. L and N have no subscriptions: no churn to observe.
  it('average, distribution by band and churn the month after', async () => {
    const rows = await cube.load(SHOP, {
      measures: [
        'customer_health_scores.customers',
        'customer_health_scores.average_health_score',
        'customer_health_scores.next_month_observed',
        'customer_health_scores.next_month_churn_rate',
      ],
      dimensions: ['customer_health_scores.health_band'],
      ...month('customer_health_scores.month', '2025-03'),
      order: { 'customer_health_scores.health_band': 'asc' },
    });
    const got = rows.map((r) => [
      r['customer_health_scores.health_band'],
      num(r['customer_health_scores.customers']),
      num(r['customer_health_scores.average_health_score']),
      num(r['customer_health_scores.next_month_observed']),
      num(r['customer_health_scores.next_month_churn_rate']),
    ]);
    expect(got.map(([band, customers, , observed, churn]) => [band, customers, observed, churn])).toEqual([
      ['at risk', 2, 0, null],
      ['healthy', 3, 3, 0],
      ['neutral', 1, 1, 100],
    ]);
    expect(got[0]![2]).toBeCloseTo((l + n) / 2, 9);
    expect(got[1]![2]).toBeCloseTo((a + c + e) / 3, 9);

    const [all] = await cube.load(SHOP, {
      measures: ['customer_health_scores.average_health_score'],
      ...month('customer_health_scores.month', '2025-03'),
    });
    expect(num(all!['customer_health_scores.average_health_score'])).toBeCloseTo((a + b + c + e + l + n) / 6, 9);
  });

  // February: D is still a customer at its end and lost on March 20, the month after.
  it('counts a loss in the month after the score', async () => {
    const [feb] = await cube.load(SHOP, {
      measures: ['customer_health_scores.next_month_observed', 'customer_health_scores.next_month_churn_rate'],
      ...month('customer_health_scores.month', '2025-02'),
    });
    // A–E subscribed at February's end (N signed up in March, L has no subscriptions): 1 of 5.
    expect([num(feb!['customer_health_scores.next_month_observed']), num(feb!['customer_health_scores.next_month_churn_rate'])]).toEqual([
      5, 20,
    ]);
  });

  it('has no next-month churn for the last month, whose next month is not observed', async () => {
    const [april] = await cube.load(SHOP, {
      measures: ['customer_health_scores.customers', 'customer_health_scores.next_month_churn_rate'],
      ...month('customer_health_scores.month', '2025-04'),
    });
    // A, C, E and L, N at April's end (B lost on April 15); May is after the observation end.
    expect([num(april!['customer_health_scores.customers']), num(april!['customer_health_scores.next_month_churn_rate'])]).toEqual([
      5,
      null,
    ]);
  });
});
