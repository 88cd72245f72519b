import type { WorkedExampleName } from '@engagement/contract';
import type { Knex } from 'knex';

/**
 * One tiny hand-built tenant per worked example in DESIGN.md, each with an answer that can be
 * worked out by hand. Ids are the kind a source exports ("C-1", "O-12"), numbered per tenant, so
 * every example tenant has its own "C-1" and a join that forgot the tenant would show.
 */
export const workedExamples = {
  surveys: 'example_surveys',
  churn: 'example_churn',
  retention: 'example_retention',
  clv: 'example_clv',
  cohort: 'example_cohort',
  web: 'example_web',
  support: 'example_support',
  marketing: 'example_marketing',
} as const satisfies Record<WorkedExampleName, string>;

interface Rows {
  tenants: object[];
  customers: object[];
  subscriptions: object[];
  orders: object[];
  web_sessions: object[];
  survey_responses: object[];
  support_tickets: object[];
  campaign_stats: object[];
  social_posts: object[];
}

class ExampleBuilder {
  readonly rows: Rows = {
    tenants: [],
    customers: [],
    subscriptions: [],
    orders: [],
    web_sessions: [],
    survey_responses: [],
    support_tickets: [],
    campaign_stats: [],
    social_posts: [],
  };
  private readonly counters = new Map<string, number>();

  /** The next id of one kind within a tenant: prefix and a per-tenant number. */
  id(tenantId: string, prefix: string): string {
    const key = `${tenantId}/${prefix}`;
    const next = (this.counters.get(key) ?? 0) + 1;
    this.counters.set(key, next);
    return `${prefix}-${next}`;
  }

  tenant(id: string, businessModel: 'b2b' | 'b2c' = 'b2b'): void {
    this.rows.tenants.push({ id, name: `Worked example: ${id}`, business_model: businessModel });
  }

  /** A customer with one subscription over [start, end). */
  customer(tenantId: string, start: string, end: string | null = null): string {
    const id = this.id(tenantId, 'C');
    this.rows.customers.push({
      id,
      tenant_id: tenantId,
      signup_at: start,
      plan: 'standard',
      segment: 'smb',
      country: 'US',
      acquisition_channel: 'organic',
    });
    this.rows.subscriptions.push({
      id: this.id(tenantId, 'S'),
      tenant_id: tenantId,
      customer_id: id,
      plan: 'standard',
      started_at: start,
      ended_at: end,
      mrr: 50,
    });
    return id;
  }
}

function repeat(count: number, fn: (i: number) => void): void {
  for (let i = 0; i < count; i++) fn(i);
}

const day = (iso: string, plusDays = 0, hour = 12): string =>
  new Date(Date.parse(`${iso}T00:00:00Z`) + plusDays * 86_400_000 + hour * 3_600_000).toISOString();

function build(): Rows {
  const b = new ExampleBuilder();

  // NPS: 300 promoters, 100 passives, 100 detractors → 60% − 20% = 40.
  // CSAT: 7 answers of 4–5 among 12 → 58.33. CES: 5, 6, 7, 6 → 6.
  const surveys = workedExamples.surveys;
  b.tenant(surveys);
  const respondent = b.customer(surveys, '2025-01-01T00:00:00Z');
  const answer = (kind: string, score: number, i: number) =>
    b.rows.survey_responses.push({
      id: b.id(surveys, 'R'),
      tenant_id: surveys,
      customer_id: respondent,
      kind,
      score,
      responded_at: day('2025-03-01', i % 28),
      touchpoint: 'onboarding',
    });
  repeat(300, (i) => answer('nps', 9 + (i % 2), i));
  repeat(100, (i) => answer('nps', 7 + (i % 2), i));
  repeat(100, (i) => answer('nps', i % 7, i));
  [5, 4, 5, 4, 5, 4, 5, 3, 2, 1, 3, 2].forEach((score, i) => answer('csat', score, i));
  [5, 6, 7, 6].forEach((score, i) => answer('ces', score, i));

  // Churn: 1,000 customers at the start of January 2025, 100 of them lost in it → 10%.
  const churn = workedExamples.churn;
  b.tenant(churn);
  repeat(1000, (i) => b.customer(churn, '2024-06-01T00:00:00Z', i < 100 ? day('2025-01-02', i % 29) : null));

  // Retention over 2025: 10,000 at the start, 5,000 new, 12,000 at the end
  // (3,000 of the starting customers left) → (12,000 − 5,000) / 10,000 = 70%.
  const retention = workedExamples.retention;
  b.tenant(retention);
  repeat(10_000, (i) => b.customer(retention, '2024-01-01T00:00:00Z', i < 3000 ? day('2025-01-01', i % 365) : null));
  repeat(5000, (i) => b.customer(retention, day('2025-01-01', i % 365)));

  // CLV: customers who each stay exactly one year and buy 12 times at $100
  // → $100 × 12 purchases a year × 1 year = $1,200.
  const clv = workedExamples.clv;
  b.tenant(clv, 'b2c');
  repeat(10, () => {
    const customer = b.customer(clv, '2024-01-01T00:00:00Z', '2025-01-01T00:00:00Z');
    repeat(12, (month) =>
      b.rows.orders.push({
        id: b.id(clv, 'O'),
        tenant_id: clv,
        customer_id: customer,
        amount: 100,
        ordered_at: `2024-${String(month + 1).padStart(2, '0')}-15T10:00:00Z`,
      }),
    );
  });

  // Cohort: 10 sign up in January 2025; 2 leave in February, 1 in March
  // → 100% at month 0, 80% at month 1, 70% at month 2. A later signup moves "as of" to May.
  const cohort = workedExamples.cohort;
  b.tenant(cohort);
  const leaves = ['2025-02-10T00:00:00Z', '2025-02-20T00:00:00Z', '2025-03-15T00:00:00Z'];
  repeat(10, (i) => b.customer(cohort, day('2025-01-05', i), leaves[i] ?? null));
  b.customer(cohort, '2025-04-01T00:00:00Z', '2025-05-01T00:00:00Z');

  // Web, June 2025 (30 days): visitor 1 on days 1–27, visitors 2–4 once each on days 28–30.
  // 30 sessions of 5 minutes; 12 single-page → bounce 40%; 3 converted → 10%;
  // 6 by referral → 20%. 30 visitor-days over 30 days → average DAU 1; MAU 4 → stickiness 25%.
  const web = workedExamples.web;
  b.tenant(web, 'b2c');
  const visitors = [...Array.from({ length: 27 }, () => 1), 2, 3, 4];
  visitors.forEach((visitor, i) =>
    b.rows.web_sessions.push({
      id: b.id(web, 'W'),
      tenant_id: web,
      visitor_id: `V-${visitor}`,
      customer_id: null,
      started_at: day('2025-06-01', i, 9),
      duration_seconds: 300,
      pageviews: i < 12 ? 1 : 4,
      landing_page: '/',
      channel: i % 5 === 0 ? 'referral' : 'organic',
      referrer: null,
      device: 'desktop',
      converted: i % 10 === 9,
    }),
  );

  // Support: 5 tickets; first replies after 1, 2, 3 and 6 hours (one never answered) → 3 h;
  // 4 resolved after 10, 20, 30, 40 hours → 25 h; 3 of the 4 in one contact → FCR 75%.
  const support = workedExamples.support;
  b.tenant(support);
  const asker = b.customer(support, '2025-01-01T00:00:00Z');
  const hoursAfter = (iso: string, hours: number | null) =>
    hours === null ? null : new Date(Date.parse(iso) + hours * 3_600_000).toISOString();
  [
    { response: 1, resolution: 10, contacts: 1 },
    { response: 2, resolution: 20, contacts: 1 },
    { response: 3, resolution: 30, contacts: 1 },
    { response: 6, resolution: 40, contacts: 2 },
    { response: null, resolution: null, contacts: 1 },
  ].forEach((t, i) => {
    const opened = day('2025-03-03', i, 8);
    b.rows.support_tickets.push({
      id: b.id(support, 'T'),
      tenant_id: support,
      customer_id: asker,
      opened_at: opened,
      first_response_at: hoursAfter(opened, t.response),
      resolved_at: hoursAfter(opened, t.resolution),
      channel: 'email',
      tier: 1,
      contacts: t.contacts,
    });
  });

  // Marketing: 100 clicks of 1,000 delivered emails → CTR 10%;
  // one post with 500 likes + 200 shares + 50 comments to 10,000 followers → 7.5%.
  const marketing = workedExamples.marketing;
  b.tenant(marketing);
  b.rows.campaign_stats.push({
    id: b.id(marketing, 'K'),
    tenant_id: marketing,
    campaign: 'spring-newsletter',
    channel: 'email',
    day: '2025-04-01',
    impressions: 1000,
    clicks: 100,
    conversions: 7,
  });
  b.rows.social_posts.push({
    id: b.id(marketing, 'P'),
    tenant_id: marketing,
    platform: 'instagram',
    posted_at: '2025-04-01T12:00:00Z',
    followers: 10_000,
    likes: 500,
    shares: 200,
    comments: 50,
  });

  return b.rows;
}

/** Replaces the worked-example tenants (and only them) with their hand-built rows. */
export async function loadWorkedExamples(db: Knex): Promise<Record<string, number>> {
  const rows = build();
  const counts: Record<string, number> = {};
  await db.transaction(async (trx) => {
    await trx('tenants').whereIn('id', Object.values(workedExamples)).delete();
    for (const [table, tableRows] of Object.entries(rows)) {
      await trx.batchInsert(table, tableRows as object[], 1000);
      counts[table] = tableRows.length;
    }
  });
  return counts;
}
