import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channels, type Channel } from '../../seeds/channels.js';
import { CTR_TARGETS } from '../../seeds/generate/campaign-stats.js';
import { ENGAGEMENT_RATES } from '../../seeds/generate/social-posts.js';
import { tenantProfiles } from '../../seeds/tenants.js';
import { seedWarehouse } from '../../seeds/index.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { UNTIL } from './helpers.js';

// The shapes a metric layer should show on generated data, checked on one load.
const CUSTOMERS = 3000;
let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
  await seedWarehouse(t.url, { customers: CUSTOMERS, seed: 42, until: UNTIL });
});
afterAll(() => t?.drop());

async function query<T>(sql: string, bindings: readonly Date[] = []): Promise<T[]> {
  return (await t.db.raw(sql, bindings)).rows as T[];
}

async function byKey(sql: string, bindings: readonly Date[] = []): Promise<Record<string, number>> {
  const rows = await query<{ key: string; value: string | number }>(sql, bindings);
  return Object.fromEntries(rows.map((r) => [r.key, Number(r.value)]));
}

describe('web sessions', () => {
  it('bounce more from the channels configured to bounce more, each between 15% and 75%', async () => {
    const bounce = await byKey(`SELECT channel AS key, avg((pageviews = 1)::int) AS value FROM web_sessions GROUP BY channel`);
    const names = Object.keys(channels) as Channel[];
    expect(Object.keys(bounce).sort()).toEqual([...names].sort());
    for (const name of names) {
      expect(bounce[name], name).toBeGreaterThan(0.15);
      expect(bounce[name], name).toBeLessThan(0.75);
    }
    for (const a of names) {
      for (const b of names) {
        if (channels[b].bounce - channels[a].bounce >= 0.07) expect(bounce[a], `${a} < ${b}`).toBeLessThan(bounce[b]!);
      }
    }
    expect(bounce.social).toBeGreaterThan(bounce.email! + 0.15);
  });

  it('convert more on desktop than on phones, and more from email than from social', async () => {
    // Signed-in visits after signup: the signup visit itself always converts.
    const after = `FROM web_sessions s JOIN customers c ON c.tenant_id = s.tenant_id AND c.id = s.customer_id WHERE s.started_at > c.signup_at`;
    const byDevice = await byKey(`SELECT s.device AS key, avg(s.converted::int) AS value ${after} GROUP BY 1`);
    const byChannel = await byKey(`SELECT s.channel AS key, avg(s.converted::int) AS value ${after} GROUP BY 1`);
    expect(byDevice.desktop).toBeGreaterThan(byDevice.mobile! * 1.3);
    expect(byChannel.email).toBeGreaterThan(byChannel.social! * 1.5);
  });

  it('come from customers (25–45 per customer over the history) and from anonymous visitors', async () => {
    const [row] = await query<{ sessions: number; anonymous: number }>(
      `SELECT count(*)::int AS sessions, count(*) FILTER (WHERE customer_id IS NULL)::int AS anonymous FROM web_sessions`,
    );
    expect(row!.sessions / CUSTOMERS).toBeGreaterThan(25);
    expect(row!.sessions / CUSTOMERS).toBeLessThan(45);
    expect(row!.anonymous / row!.sessions).toBeGreaterThan(0.1);
  });

  it('fall on weekdays for the B2B tenant and on weekends for the consumer app', async () => {
    const perDay = await query<{ tenant_id: string; weekday: number; weekend: number }>(`
      SELECT tenant_id,
             count(*) FILTER (WHERE extract(isodow FROM started_at AT TIME ZONE 'UTC') <= 5) / 5.0 AS weekday,
             count(*) FILTER (WHERE extract(isodow FROM started_at AT TIME ZONE 'UTC') > 5) / 2.0 AS weekend
        FROM web_sessions GROUP BY tenant_id`);
    const of = (tenant: string) => perDay.find((r) => r.tenant_id === tenant)!;
    expect(Number(of('acme').weekday)).toBeGreaterThan(2 * Number(of('acme').weekend));
    expect(Number(of('lumen').weekend)).toBeGreaterThan(1.1 * Number(of('lumen').weekday));
  });
});

describe('customers', () => {
  it('sign up more as the businesses grow', async () => {
    // Whole years, so that seasons (January for the app, November for the shop) do not count.
    const growth = await byKey(
      `
      SELECT tenant_id AS key,
             count(*) FILTER (WHERE signup_at >= ?::timestamptz - interval '12 months')::float /
             count(*) FILTER (WHERE signup_at < ?::timestamptz - interval '12 months') AS value
        FROM customers GROUP BY 1`,
      [UNTIL, UNTIL],
    );
    for (const tenant of ['acme', 'lumen', 'northwind']) expect(growth[tenant], tenant).toBeGreaterThan(1.2);
  });

  it('leave over time: the share of a signup cohort still active falls with its age', async () => {
    const cohorts = await query<{ tenant_id: string; m1: number; m3: number; m6: number; m12: number }>(
      `
      SELECT tenant_id,
             ${[1, 3, 6, 12].map((m) => `avg((ended_at IS NULL OR ended_at > started_at + interval '${m} months')::int)::float AS m${m}`).join(', ')}
        FROM subscriptions WHERE started_at < ?::timestamptz - interval '18 months' GROUP BY tenant_id`,
      [UNTIL],
    );
    expect(cohorts).toHaveLength(3);
    for (const c of cohorts) {
      expect([c.m1, c.m3, c.m6, c.m12], c.tenant_id).toEqual([...[c.m1, c.m3, c.m6, c.m12]].sort((a, b) => b - a));
      expect(c.m12, c.tenant_id).toBeLessThan(c.m1 - 0.1);
      expect(c.m12, c.tenant_id).toBeGreaterThan(0.1);
    }
  });

  it('churn by plan and acquisition channel as configured', async () => {
    const endedShare = (column: string) =>
      byKey(`
      SELECT ${column} AS key, avg((s.ended_at IS NOT NULL)::int) AS value
        FROM customers c JOIN subscriptions s ON s.tenant_id = c.tenant_id AND s.customer_id = c.id GROUP BY 1`);
    const byPlan = await endedShare(`c.tenant_id || '/' || c.plan`);
    expect(byPlan['acme/starter']).toBeGreaterThan(byPlan['acme/growth']!);
    expect(byPlan['acme/growth']).toBeGreaterThan(byPlan['acme/enterprise']!);
    expect(byPlan['lumen/monthly']).toBeGreaterThan(byPlan['lumen/annual']!);
    expect(byPlan['lumen/monthly']).toBeGreaterThan(byPlan['acme/starter']!);
    const byChannel = await endedShare('c.acquisition_channel');
    expect(byChannel.social).toBeGreaterThan(byChannel.referral! + 0.05);
  });

  it('who churned gave lower NPS answers than those retained', async () => {
    const nps = await query<{ tenant_id: string; churned: number; retained: number }>(`
      SELECT r.tenant_id,
             avg(r.score) FILTER (WHERE s.ended_at IS NOT NULL)::float AS churned,
             avg(r.score) FILTER (WHERE s.ended_at IS NULL)::float AS retained
        FROM survey_responses r JOIN subscriptions s ON s.tenant_id = r.tenant_id AND s.customer_id = r.customer_id
       WHERE r.kind = 'nps' GROUP BY 1`);
    expect(nps).toHaveLength(3);
    for (const row of nps) expect(row.churned, row.tenant_id).toBeLessThan(row.retained - 0.8);
  });

  it('order several times, the shop most', async () => {
    const perCustomer = await byKey(`
      SELECT c.tenant_id AS key, count(o.id)::float / count(DISTINCT c.id) AS value
        FROM customers c LEFT JOIN orders o ON o.tenant_id = c.tenant_id AND o.customer_id = c.id GROUP BY 1`);
    for (const tenant of ['acme', 'lumen', 'northwind']) expect(perCustomer[tenant], tenant).toBeGreaterThan(2);
    expect(perCustomer.northwind).toBeGreaterThan(Math.max(perCustomer.acme!, perCustomer.lumen!));
  });
});

describe('support tickets', () => {
  it('rise with active customers, month by month', async () => {
    const rows = await query<{ tenant_id: string; r: number }>(
      `
      WITH months AS (
        SELECT m FROM generate_series(?::timestamptz - interval '23 months', ?::timestamptz - interval '1 month', interval '1 month') AS m
      ), load AS (
        SELECT tn.id AS tenant_id,
               (SELECT count(*) FROM subscriptions s WHERE s.tenant_id = tn.id AND s.started_at < m AND (s.ended_at IS NULL OR s.ended_at >= m)) AS active,
               (SELECT count(*) FROM support_tickets k WHERE k.tenant_id = tn.id AND k.opened_at >= m AND k.opened_at < m + interval '1 month') AS tickets
          FROM months, tenants tn
      )
      SELECT tenant_id, corr(active, tickets) AS r FROM load GROUP BY 1`,
      [UNTIL, UNTIL],
    );
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(row.r, row.tenant_id).toBeGreaterThan(0.7);
  });

  it('get quick replies in chat and slower ones by email, most resolved in one contact', async () => {
    const reply = await byKey(`
      SELECT channel AS key, avg(extract(epoch FROM first_response_at - opened_at) / 3600) AS value FROM support_tickets GROUP BY 1`);
    expect(reply.chat).toBeLessThan(0.5);
    expect(reply.email).toBeGreaterThan(2);
    const [fcr] = await query<{ rate: number }>(
      `SELECT avg((contacts = 1)::int)::float AS rate FROM support_tickets WHERE resolved_at IS NOT NULL`,
    );
    expect(fcr!.rate).toBeGreaterThan(0.6);
    expect(fcr!.rate).toBeLessThan(0.85);
  });
});

describe('marketing', () => {
  it('has click-through rates near each channel’s typical rate', async () => {
    const ctr = await byKey(`SELECT channel AS key, sum(clicks)::float / sum(impressions) AS value FROM campaign_stats GROUP BY 1`);
    expect(Object.keys(ctr).sort()).toEqual(Object.keys(CTR_TARGETS).sort());
    for (const [channel, target] of Object.entries(CTR_TARGETS)) {
      expect(ctr[channel]! / target, channel).toBeGreaterThan(0.8);
      expect(ctr[channel]! / target, channel).toBeLessThan(1.2);
    }
  });

  it('has social engagement near each platform’s typical rate, with growing followers', async () => {
    const rows = await query<{ platform: string; rate: number; growing: boolean }>(`
      SELECT platform, avg((likes + shares + comments)::float / followers) AS rate,
             bool_and(followers_last >= followers_first) AS growing
        FROM (SELECT *, first_value(followers) OVER w AS followers_first, last_value(followers) OVER w AS followers_last
                FROM social_posts WINDOW w AS (PARTITION BY tenant_id, platform ORDER BY posted_at ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)) p
       GROUP BY platform`);
    expect(rows.map((r) => r.platform).sort()).toEqual(Object.keys(ENGAGEMENT_RATES).sort());
    for (const row of rows) {
      const target = ENGAGEMENT_RATES[row.platform as keyof typeof ENGAGEMENT_RATES];
      expect(row.rate / target, row.platform).toBeGreaterThan(0.7);
      expect(row.rate / target, row.platform).toBeLessThan(1.3);
      expect(row.growing, row.platform).toBe(true);
    }
  });
});

describe('social accounts and reviews', () => {
  it("has each account's daily follower count on the curve its posts carry", async () => {
    const [row] = await query<{ posts: number; off: number }>(`
      SELECT count(*)::int AS posts,
             count(*) FILTER (WHERE p.followers < before.followers - 1 OR p.followers > d.followers + 1)::int AS off
        FROM social_posts p
        JOIN social_account_days d ON d.tenant_id = p.tenant_id AND d.platform = p.platform AND d.day = (p.posted_at AT TIME ZONE 'UTC')::date
        JOIN social_account_days before ON before.tenant_id = p.tenant_id AND before.platform = p.platform AND before.day = d.day - 1`);
    expect(row!.posts).toBeGreaterThan(1000);
    expect(row!.off).toBe(0);
  });

  it("has stories only where the platform has them, completed near Conviva's average", async () => {
    const rows = await byKey(`SELECT platform AS key, 100.0 * sum(story_completions) / sum(story_viewers) AS value
      FROM social_account_days WHERE stories IS NOT NULL GROUP BY 1`);
    expect(Object.keys(rows).sort()).toEqual(['facebook', 'instagram', 'tiktok']);
    for (const [platform, completion] of Object.entries(rows)) {
      expect(completion, platform).toBeGreaterThan(82);
      expect(completion, platform).toBeLessThan(92);
    }
  });

  it("answers the social inbox at each tenant's rate", async () => {
    const answered = await byKey(
      `SELECT tenant_id AS key, sum(messages_answered)::float / sum(messages_received) AS value FROM social_account_days GROUP BY 1`,
    );
    for (const profile of tenantProfiles) expect(answered[profile.id]! - profile.socialCare.answerRate, profile.id).toBeCloseTo(0, 1);
  });

  it('has ratings piled up at 4–5 stars with a tail of 1s, and matches some reviews to their customer', async () => {
    const stars = await byKey(`SELECT rating::text AS key, count(*)::float / sum(count(*)) OVER () AS value FROM reviews GROUP BY 1`);
    expect(Object.keys(stars).sort()).toEqual(['1', '2', '3', '4', '5']);
    expect(stars['4']! + stars['5']!).toBeGreaterThan(0.6);
    expect(stars['5']).toBeGreaterThan(stars['4']!);
    expect(stars['1']).toBeGreaterThan(0);
    const matched = await byKey(`SELECT tenant_id AS key, avg((customer_id IS NOT NULL)::int) AS value FROM reviews GROUP BY 1`);
    // A few dozen reviews a tenant at this size: within 0.15 of the profile's share.
    for (const profile of tenantProfiles)
      expect(Math.abs(matched[profile.id]! - profile.reviews.matchedShare), profile.id).toBeLessThan(0.15);
  });
});
