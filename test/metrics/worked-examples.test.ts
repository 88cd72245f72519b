import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWorkedExamples, workedExamples as ex } from '../../seeds/worked-examples.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startTestCube, type TestCube } from '../support/cube.js';

// Every answer below is worked out by hand in seeds/worked-examples.ts, next to its data.
let t: TestDatabase;
let cube: TestCube;

beforeAll(async () => {
  t = await createTestDatabase();
  await loadWorkedExamples(t.db);
  cube = await startTestCube(t.url);
});
afterAll(async () => {
  await cube?.stop();
  await t?.drop();
});

async function one(tenant: string, query: Record<string, unknown>): Promise<Record<string, number>> {
  const rows = await cube.load(tenant, query);
  expect(rows).toHaveLength(1);
  return Object.fromEntries(Object.entries(rows[0]!).map(([k, v]) => [k.split('.')[1]!, Number(v)]));
}

const month = (dimension: string, from: string, to: string, granularity = 'month') => ({
  timeDimensions: [{ dimension, granularity, dateRange: [from, to] }],
});

describe('worked examples from DESIGN.md', () => {
  it('NPS: 300 promoters, 100 passives, 100 detractors → 40', async () => {
    const r = await one(ex.surveys, {
      measures: ['survey_responses.nps', 'survey_responses.promoters', 'survey_responses.passives', 'survey_responses.detractors'],
    });
    expect(r).toEqual({ nps: 40, promoters: 300, passives: 100, detractors: 100 });
  });

  it('CSAT: 7 positive answers of 12 → 58.33', async () => {
    const { csat } = await one(ex.surveys, { measures: ['survey_responses.csat'] });
    expect(csat).toBeCloseTo((7 / 12) * 100, 9);
    expect(csat!.toFixed(2)).toBe('58.33');
  });

  it('CES: answers 5, 6, 7, 6 → 6', async () => {
    expect(await one(ex.surveys, { measures: ['survey_responses.ces'] })).toEqual({ ces: 6 });
  });

  it('churn: 1,000 at the start of the month, 100 lost → 10%', async () => {
    const r = await one(ex.churn, {
      measures: ['customer_lifecycle.churn_rate', 'customer_lifecycle.customers_at_start', 'customer_lifecycle.lost_customers'],
      ...month('customer_lifecycle.date', '2025-01-01', '2025-01-31'),
    });
    expect(r).toMatchObject({ churn_rate: 10, customers_at_start: 1000, lost_customers: 100 });
  });

  it('retention: start 10,000, new 5,000, end 12,000 → 70% (and churn 30% on the same data)', async () => {
    const r = await one(ex.retention, {
      measures: [
        'customer_lifecycle.retention_rate',
        'customer_lifecycle.churn_rate',
        'customer_lifecycle.customers_at_start',
        'customer_lifecycle.new_customers',
        'customer_lifecycle.customers_at_end',
        'customer_lifecycle.lost_customers',
      ],
      ...month('customer_lifecycle.date', '2025-01-01', '2025-12-31', 'year'),
    });
    expect(r).toMatchObject({
      retention_rate: 70,
      churn_rate: 30,
      customers_at_start: 10_000,
      new_customers: 5000,
      customers_at_end: 12_000,
      lost_customers: 3000,
    });
  });

  it('CLV: $100 × 12 purchases a year × 1 year → $1,200', async () => {
    const r = await one(ex.clv, {
      measures: [
        'customer_value.clv',
        'customer_value.average_purchase_value',
        'customer_value.purchase_frequency',
        'customer_value.expected_lifespan_years',
      ],
    });
    expect(r.clv).toBeCloseTo(1200, 9);
    expect(r.average_purchase_value).toBe(100);
    // A leap year makes the year 366/365.25 of a "year": frequency and lifespan shift, their product does not.
    expect(r.purchase_frequency! * r.expected_lifespan_years!).toBeCloseTo(12, 9);
  });

  it('cohort retention: 10 sign up in January, 2 leave in February, 1 in March → 100, 80, 70, 70', async () => {
    const rows = await cube.load(ex.cohort, {
      measures: ['cohort_retention.cohort_retention_rate'],
      dimensions: ['cohort_retention.months_since_signup'],
      timeDimensions: [{ dimension: 'cohort_retention.cohort_month', granularity: 'month', dateRange: ['2025-01-01', '2025-01-31'] }],
      order: { 'cohort_retention.months_since_signup': 'asc' },
    });
    expect(
      rows.map((r) => [Number(r['cohort_retention.months_since_signup']), Number(r['cohort_retention.cohort_retention_rate'])]),
    ).toEqual([
      [0, 100],
      [1, 80],
      [2, 70],
      [3, 70],
    ]);
  });

  it('web: bounce 40%, conversion 10%, 5-minute sessions, referral 20%, DAU 1 of MAU 4 → stickiness 25%', async () => {
    const r = await one(ex.web, {
      measures: [
        'web_sessions.bounce_rate',
        'web_sessions.conversion_rate',
        'web_sessions.avg_session_duration',
        'web_sessions.referral_share',
        'web_sessions.active_users',
        'web_sessions.avg_daily_active_users',
        'web_sessions.stickiness',
        'web_sessions.sessions',
      ],
      ...month('web_sessions.started_at', '2025-06-01', '2025-06-30'),
    });
    expect(r).toMatchObject({
      bounce_rate: 40,
      conversion_rate: 10,
      avg_session_duration: 300,
      referral_share: 20,
      active_users: 4,
      avg_daily_active_users: 1,
      stickiness: 25,
      sessions: 30,
    });
  });

  it('web: MAU over a trailing 30 days and DAU by day', async () => {
    const [mau] = await cube.load(ex.web, {
      measures: ['web_sessions.mau_30d'],
      ...month('web_sessions.started_at', '2025-06-30', '2025-06-30', 'day'),
    });
    expect(Number(mau!['web_sessions.mau_30d'])).toBe(4);
    const days = await cube.load(ex.web, {
      measures: ['web_sessions.active_users'],
      ...month('web_sessions.started_at', '2025-06-01', '2025-06-30', 'day'),
    });
    expect(days.map((d) => Number(d['web_sessions.active_users']))).toEqual(Array.from({ length: 30 }, () => 1));
  });

  it('returning visitors: 1 of 4 visitors came back → 25%', async () => {
    expect(await one(ex.web, { measures: ['returning_visitors.returning_visitor_share'] })).toEqual({ returning_visitor_share: 25 });
  });

  it('support: first response 3 h, resolution 25 h, first-contact resolution 75%', async () => {
    const r = await one(ex.support, {
      measures: [
        'support_tickets.avg_first_response_hours',
        'support_tickets.avg_resolution_hours',
        'support_tickets.first_contact_resolution_rate',
        'support_tickets.tickets',
        'support_tickets.tickets_resolved',
      ],
    });
    expect(r).toEqual({
      avg_first_response_hours: 3,
      avg_resolution_hours: 25,
      first_contact_resolution_rate: 75,
      tickets: 5,
      tickets_resolved: 4,
    });
  });

  it('CTR: 100 clicks of 1,000 → 10%; engagement: 500 + 200 + 50 on 10,000 followers → 7.5%', async () => {
    expect(await one(ex.marketing, { measures: ['campaign_stats.ctr', 'campaign_stats.email_ctr'] })).toEqual({ ctr: 10, email_ctr: 10 });
    expect(await one(ex.marketing, { measures: ['social_posts.engagement_rate'] })).toEqual({ engagement_rate: 7.5 });
  });

  it('the audience views give the same answers as their cubes', async () => {
    expect(await one(ex.surveys, { measures: ['executive_overview.nps', 'executive_overview.csat'] })).toEqual({
      nps: 40,
      csat: (7 / 12) * 100,
    });
    const churn = await one(ex.churn, {
      measures: ['customer_health.churn_rate'],
      ...month('customer_health.lifecycle_date', '2025-01-01', '2025-01-31'),
    });
    expect(churn.churn_rate).toBe(10);
    // Campaigns and posts are unrelated facts: one query each (test/cube/unrelated-facts.test.ts).
    expect(await one(ex.marketing, { measures: ['marketing.ctr'] })).toEqual({ ctr: 10 });
    expect(await one(ex.marketing, { measures: ['marketing.engagement_rate'] })).toEqual({ engagement_rate: 7.5 });
  });
});
