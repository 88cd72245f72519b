import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startTestCube, type CubeQuery, type TestCube } from '../support/cube.js';

// A small hand-built tenant for the social and review KPIs; every answer is worked out below,
// beside the rows it comes from.
const TENANT = 'example_social';
const APRIL_MAY = ['2025-04-01', '2025-05-31'];

let t: TestDatabase;
let cube: TestCube;

const post = (id: string, platform: string, posted_at: string, counts: Record<string, number | null>) => ({
  id,
  tenant_id: TENANT,
  platform,
  posted_at,
  followers: 10_000,
  likes: 0,
  shares: 0,
  comments: 0,
  ...counts,
});

const day = (id: string, platform: string, date: string, followers: number, counts: Record<string, number | null> = {}) => ({
  id,
  tenant_id: TENANT,
  platform,
  day: date,
  followers,
  ...counts,
});

const review = (id: string, rating: number, reviewed_at: string, source: string | null, customer_id: string | null = null) => ({
  id,
  tenant_id: TENANT,
  rating,
  reviewed_at,
  source,
  customer_id,
});

beforeAll(async () => {
  t = await createTestDatabase();
  await t.db('tenants').insert({ id: TENANT, name: 'Worked example: social', business_model: 'b2c' });
  await t.db('customers').insert({ id: 'C-1', tenant_id: TENANT, signup_at: '2025-01-01' });
  await t.db('social_posts').insert([
    post('P-1', 'instagram', '2025-04-03T12:00:00Z', { impressions: 2000, clicks: 40, saves: 30, conversions: 4 }),
    post('P-2', 'instagram', '2025-04-10T12:00:00Z', { impressions: 1000, clicks: 10, saves: 10, conversions: 1 }),
    // LinkedIn exports no saves, and this source attributes no conversions.
    post('P-3', 'linkedin', '2025-04-12T12:00:00Z', { impressions: 500, clicks: 50, saves: null, conversions: null }),
    // No impressions: its clicks and saves count in the sums, not in the rates per impression.
    post('P-4', 'x', '2025-04-15T12:00:00Z', { impressions: null, clicks: 5, saves: 2, conversions: null }),
  ]);
  await t.db('social_account_days').insert([
    // Instagram's count on the day before April starts, so April has a start.
    day('D-1', 'instagram', '2025-03-31', 1000),
    day('D-2', 'instagram', '2025-04-01', 1010, {
      mentions: 3,
      messages_received: 4,
      messages_answered: 3,
      response_minutes: 90,
      stories: 2,
      story_viewers: 200,
      story_completions: 170,
    }),
    day('D-3', 'instagram', '2025-04-15', 1030, {
      mentions: 5,
      messages_received: 6,
      messages_answered: 3,
      response_minutes: 450,
      stories: 1,
      story_viewers: 100,
      story_completions: null,
    }),
    day('D-4', 'instagram', '2025-04-30', 1050),
    day('D-5', 'instagram', '2025-05-01', 1040),
    // X is first counted on 1 April: no count before it, so April has no start for X, and its
    // April change (500 → 550) is not in April's growth.
    day('D-6', 'x', '2025-04-01', 500, { messages_received: 2, messages_answered: 1, response_minutes: null }),
    day('D-7', 'x', '2025-04-20', 550),
    day('D-8', 'x', '2025-05-01', 600),
  ]);
  await t
    .db('reviews')
    .insert([
      review('R-1', 5, '2025-04-02T10:00:00Z', 'google', 'C-1'),
      review('R-2', 4, '2025-04-05T10:00:00Z', 'google'),
      review('R-3', 1, '2025-04-20T10:00:00Z', 'trustpilot'),
      review('R-4', 3, '2025-04-28T10:00:00Z', null),
      review('R-5', 5, '2025-05-03T10:00:00Z', 'google'),
    ]);
  cube = await startTestCube(t.url);
});
afterAll(async () => {
  await cube?.stop();
  await t?.drop();
});

/** Rows of a query by month over April and May, as { month: { measure: number | null } }. */
async function byMonth(measures: string[], time: string): Promise<Record<string, Record<string, number | null>>> {
  const query: CubeQuery = { measures, timeDimensions: [{ dimension: time, granularity: 'month', dateRange: APRIL_MAY }] };
  const rows = await cube.load(TENANT, query);
  return Object.fromEntries(
    rows.map((row) => [
      String(row[`${time}.month`]).slice(0, 7),
      Object.fromEntries(measures.map((m) => [m.split('.')[1]!, row[m] === null ? null : Number(row[m])])),
    ]),
  );
}

describe('social and review KPIs on a hand-built tenant', () => {
  it('post clicks, saves and conversions: sums over every post, rates over posts that report both counts', async () => {
    const april = (
      await byMonth(
        [
          'marketing.post_clicks',
          'marketing.saves',
          'marketing.post_impressions',
          'marketing.social_conversions',
          'marketing.post_ctr',
          'marketing.save_rate',
          'marketing.social_conversion_rate',
        ],
        'marketing.post_date',
      )
    )['2025-04']!;
    expect(april).toMatchObject({
      post_clicks: 40 + 10 + 50 + 5,
      saves: 30 + 10 + 2,
      post_impressions: 2000 + 1000 + 500,
      social_conversions: 4 + 1,
      // Clicks of the posts with impressions (P-1..P-3) ÷ their impressions: 100 / 3,500.
      // Saves of the posts with impressions (P-1, P-2) ÷ their impressions: 40 / 3,000.
      // Conversions ÷ clicks of the posts that attribute conversions (P-1, P-2): 5 / 50.
      social_conversion_rate: 10,
    });
    expect(april.post_ctr).toBeCloseTo((100 / 3500) * 100, 9);
    expect(april.save_rate).toBeCloseTo((40 / 3000) * 100, 9);
  });

  it('follower growth: (end − start) ÷ start per month, only for accounts counted the day before the month began', async () => {
    const months = await byMonth(['marketing.follower_growth_rate', 'marketing.net_new_followers'], 'marketing.social_date');
    // April: Instagram 1,000 → 1,050 (+5%); X has no count before 1 April, so it is left out of
    // the rate, though its +50 is in the net new followers.
    expect(months['2025-04']).toEqual({ follower_growth_rate: 5, net_new_followers: 50 + 50 });
    // May (one day): Instagram 1,050 → 1,040 and X 550 → 600: (−10 + 50) ÷ (1,050 + 550).
    expect(months['2025-05']).toEqual({ follower_growth_rate: 2.5, net_new_followers: 40 });
  });

  it('one platform’s growth, and none for a month whose start is not there', async () => {
    const rows = await cube.load(TENANT, {
      measures: ['marketing.follower_growth_rate'],
      dimensions: ['marketing.account_platform'],
      timeDimensions: [{ dimension: 'marketing.social_date', granularity: 'month', dateRange: ['2025-03-01', '2025-05-31'] }],
      order: [['marketing.social_date', 'asc']],
    });
    const growth = Object.fromEntries(
      rows.map((r) => [
        `${String(r['marketing.account_platform'])} ${String(r['marketing.social_date.month']).slice(0, 7)}`,
        r['marketing.follower_growth_rate'] === null ? null : Number(r['marketing.follower_growth_rate']),
      ]),
    );
    expect(growth['instagram 2025-03']).toBeNull();
    expect(growth['x 2025-04']).toBeNull();
    expect(growth['instagram 2025-04']).toBe(5);
    expect(growth['x 2025-05']).toBeCloseTo((50 / 550) * 100, 9);
  });

  it('mentions, the social inbox and stories', async () => {
    const april = (
      await byMonth(
        [
          'marketing.brand_mentions',
          'marketing.messages_received',
          'marketing.messages_answered',
          'marketing.social_response_rate',
          'marketing.avg_social_response_hours',
          'marketing.stories',
          'marketing.story_viewers',
          'marketing.story_completions',
          'marketing.story_completion_rate',
        ],
        'marketing.social_date',
      )
    )['2025-04']!;
    expect(april).toMatchObject({
      brand_mentions: 3 + 5,
      messages_received: 4 + 6 + 2,
      messages_answered: 3 + 3 + 1,
      // (90 + 450) minutes over the 6 answers that have a time (X's one answer has none): 1.5 h.
      avg_social_response_hours: 1.5,
      stories: 3,
      story_viewers: 300,
      story_completions: 170,
      // 170 of the 200 viewers of the day whose source gives completions.
      story_completion_rate: 85,
    });
    expect(april.social_response_rate).toBeCloseTo((7 / 12) * 100, 9);
  });

  it('reviews: volume, average rating and the share of 4–5 stars, by month and by site', async () => {
    const months = await byMonth(
      ['marketing.reviews', 'marketing.average_rating', 'marketing.positive_review_share', 'marketing.positive_reviews'],
      'marketing.review_date',
    );
    // April: 5, 4, 1 and 3 stars.
    expect(months['2025-04']).toEqual({ reviews: 4, average_rating: 13 / 4, positive_review_share: 50, positive_reviews: 2 });
    expect(months['2025-05']).toEqual({ reviews: 1, average_rating: 5, positive_review_share: 100, positive_reviews: 1 });

    const sites = await cube.load(TENANT, {
      measures: ['marketing.reviews', 'marketing.average_rating'],
      dimensions: ['marketing.review_site'],
      timeDimensions: [{ dimension: 'marketing.review_date', dateRange: APRIL_MAY }],
      order: [['marketing.review_site', 'asc']],
    });
    expect(sites.map((r) => [r['marketing.review_site'], Number(r['marketing.reviews']), Number(r['marketing.average_rating'])])).toEqual([
      ['google', 3, 14 / 3],
      ['trustpilot', 1, 1],
      // A review whose source does not say where it was left.
      ['unknown', 1, 3],
    ]);
  });
});
