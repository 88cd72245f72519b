import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connect } from '../../src/warehouse/connection.js';
import { migrationSource } from '../../migrations/index.js';
import { migrateDownAll, migrateLatest } from '../../src/warehouse/migrate.js';
import { rolePrefix } from '../../src/warehouse/roles.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

const dataTables = [
  'tenants',
  'customers',
  'subscriptions',
  'orders',
  'web_sessions',
  'survey_responses',
  'support_tickets',
  'campaign_stats',
  'social_posts',
  'events',
  'social_account_days',
  'reviews',
  'churn_risk_scores',
  'churn_risk_models',
  'customer_predictions',
  'cohort_retention_forecast',
  'prediction_fits',
];

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase({ migrate: false });
});
afterAll(() => t.drop());

async function tables(): Promise<string[]> {
  const result = await t.db.raw(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name NOT LIKE 'knex%'`,
  );
  return result.rows.map((r: { table_name: string }) => r.table_name).sort();
}

describe('migrations', () => {
  it('go up, down and up again', async () => {
    expect((await migrateLatest(t.db)).length).toBeGreaterThan(0);
    expect(await tables()).toEqual([...dataTables].sort());
    expect(await migrateLatest(t.db)).toEqual([]);

    const reverted = await migrateDownAll(t.db);
    expect(reverted.length).toBeGreaterThan(0);
    expect(await tables()).toEqual([]);

    await migrateLatest(t.db);
    expect(await tables()).toEqual([...dataTables].sort());
  });

  it('give each tenant an optional data-through instant, unset unless an import sets it', async () => {
    await t.db('tenants').insert({ id: 'through_test', name: 'x', business_model: 'b2c' });
    await t.db('tenants').insert({ id: 'through_set', name: 'y', business_model: 'b2c', data_through: '2025-03-15T00:00:00Z' });
    const rows = await t.db('tenants').whereIn('id', ['through_test', 'through_set']).orderBy('id').select('id', 'data_through');
    expect(rows).toEqual([
      { id: 'through_set', data_through: new Date('2025-03-15T00:00:00Z') },
      { id: 'through_test', data_through: null },
    ]);
    await t.db('tenants').whereIn('id', ['through_test', 'through_set']).delete();
  });

  it('give each tenant a currency, USD unless set, and take it away on rollback', async () => {
    await t.db('tenants').insert({ id: 'currency_test', name: 'x', business_model: 'b2c' });
    await t.db('tenants').insert({ id: 'currency_set', name: 'y', business_model: 'b2c', currency: 'EUR' });
    const rows = await t.db('tenants').whereIn('id', ['currency_test', 'currency_set']).orderBy('id').select('id', 'currency');
    expect(rows).toEqual([
      { id: 'currency_set', currency: 'EUR' },
      { id: 'currency_test', currency: 'USD' },
    ]);
    await t.db('tenants').whereIn('id', ['currency_test', 'currency_set']).delete();
    const columns = async () => Object.keys(await t.db('tenants').columnInfo());
    await t.db.migrate.down({ migrationSource, tableName: 'knex_migrations', name: '20261204000000_tenant_currency' });
    expect(await columns()).not.toContain('currency');
    await migrateLatest(t.db);
    expect(await columns()).toContain('currency');
  });
});

describe('constraints', () => {
  const tenant = 'constraint_test';
  const other = 'constraint_other';
  const customer = {
    id: 'C-1',
    tenant_id: tenant,
    signup_at: '2025-01-01',
    plan: 'pro',
    segment: 'smb',
    country: 'DE',
    acquisition_channel: 'organic',
  };
  const session = {
    id: 'S-1',
    tenant_id: tenant,
    visitor_id: 'V-1',
    started_at: '2025-01-01',
    duration_seconds: 10,
    pageviews: 1,
    landing_page: '/',
    channel: 'organic',
    device: 'desktop',
    converted: false,
  };
  const ticket = {
    id: 'T-1',
    tenant_id: tenant,
    customer_id: 'C-1',
    opened_at: '2025-01-02T00:00:00Z',
    channel: 'email',
    tier: 1,
    contacts: 1,
  };
  const campaign = {
    id: 'K-1',
    tenant_id: tenant,
    campaign: 'c',
    channel: 'email',
    day: '2025-01-01',
    impressions: 10,
    clicks: 1,
    conversions: 0,
  };
  const post = {
    id: 'P-1',
    tenant_id: tenant,
    platform: 'instagram',
    posted_at: '2025-01-01',
    followers: 10,
    likes: 1,
    shares: 0,
    comments: 0,
  };
  const event = {
    id: 'E-1',
    tenant_id: tenant,
    visitor_id: 'V-1',
    customer_id: 'C-1',
    name: 'purchase',
    occurred_at: '2025-01-01T10:00:00Z',
    value: 25,
    properties: JSON.stringify({ coupon: 'WELCOME' }),
  };
  const accountDay = {
    id: 'D-1',
    tenant_id: tenant,
    platform: 'instagram',
    day: '2025-01-01',
    followers: 100,
    mentions: 2,
    messages_received: 4,
    messages_answered: 3,
    response_minutes: 90,
    stories: 1,
    story_viewers: 50,
    story_completions: 40,
  };
  const review = { id: 'R-1', tenant_id: tenant, customer_id: 'C-1', rating: 4, reviewed_at: '2025-01-03T12:00:00Z', source: 'google' };

  beforeAll(async () => {
    await migrateLatest(t.db);
    await t.db('tenants').insert([
      { id: tenant, name: 'Constraint test', business_model: 'b2b' },
      { id: other, name: 'Other', business_model: 'b2c' },
    ]);
    await t.db('customers').insert([customer, { ...customer, id: 'C-2', tenant_id: other }]);
  });

  // Each case breaks one rule; PostgreSQL's message must name the constraint that caught it.
  it.each([
    ['tenants', { id: 'x', name: 'x', business_model: 'b2x' }, 'tenants_business_model_known'],
    ['tenants', { id: 'x', name: 'x', business_model: 'b2b', currency: 'eur' }, 'tenants_currency_iso'],
    ['customers', { ...customer, id: 'C-3', country: 'de' }, 'customers_country_iso'],
    ['customers', { ...customer, id: 'C-3', tenant_id: 'nobody' }, 'customers_tenant_id_foreign'],
    [
      'subscriptions',
      { id: 'X-1', tenant_id: tenant, customer_id: 'C-1', plan: 'pro', started_at: '2025-01-01', mrr: -1 },
      'subscriptions_mrr_not_negative',
    ],
    [
      'subscriptions',
      { id: 'X-1', tenant_id: tenant, customer_id: 'C-1', plan: 'pro', started_at: '2025-02-01', ended_at: '2025-01-01', mrr: 1 },
      'subscriptions_ends_after_start',
    ],
    [
      'subscriptions',
      { id: 'X-1', tenant_id: tenant, customer_id: 'C-2', plan: 'pro', started_at: '2025-01-01', mrr: 1 },
      'subscriptions_tenant_id_customer_id_foreign',
    ],
    ['orders', { id: 'X-1', tenant_id: tenant, customer_id: 'C-1', ordered_at: '2025-01-01', amount: -5 }, 'orders_amount_not_negative'],
    ['web_sessions', { ...session, pageviews: 0 }, 'web_sessions_at_least_one_pageview'],
    ['web_sessions', { ...session, duration_seconds: -1 }, 'web_sessions_duration_not_negative'],
    ['web_sessions', { ...session, device: 'toaster' }, 'web_sessions_device_known'],
    ['web_sessions', { ...session, customer_id: 'C-2' }, 'web_sessions_customer_fk'],
    [
      'survey_responses',
      { id: 'X-1', tenant_id: tenant, customer_id: 'C-1', kind: 'nps', score: 11, responded_at: '2025-01-01', touchpoint: 'x' },
      'survey_responses_score_on_scale',
    ],
    [
      'survey_responses',
      { id: 'X-1', tenant_id: tenant, customer_id: 'C-1', kind: 'csat', score: 0, responded_at: '2025-01-01', touchpoint: 'x' },
      'survey_responses_score_on_scale',
    ],
    [
      'survey_responses',
      { id: 'X-1', tenant_id: tenant, customer_id: 'C-1', kind: 'ces', score: 8, responded_at: '2025-01-01', touchpoint: 'x' },
      'survey_responses_score_on_scale',
    ],
    [
      'survey_responses',
      { id: 'X-1', tenant_id: tenant, customer_id: 'C-1', kind: 'ces2', score: 3, responded_at: '2025-01-01', touchpoint: 'x' },
      'survey_responses_kind_known',
    ],
    ['support_tickets', { ...ticket, resolved_at: '2025-01-01T00:00:00Z' }, 'support_tickets_resolved_after_open'],
    ['support_tickets', { ...ticket, first_response_at: '2025-01-01T23:00:00Z' }, 'support_tickets_response_after_open'],
    ['support_tickets', { ...ticket, contacts: 0 }, 'support_tickets_at_least_one_contact'],
    ['support_tickets', { ...ticket, tier: 4 }, 'support_tickets_tier_known'],
    ['campaign_stats', { ...campaign, clicks: 11 }, 'campaign_stats_clicks_within_impressions'],
    ['campaign_stats', { ...campaign, conversions: 2 }, 'campaign_stats_conversions_within_clicks'],
    ['campaign_stats', { ...campaign, clicks: -1, conversions: -1 }, 'campaign_stats_clicks_within_impressions'],
    ['campaign_stats', { ...campaign, channel: 'radio' }, 'campaign_stats_channel_known'],
    ['social_posts', { ...post, likes: -1 }, 'social_posts_reactions_not_negative'],
    ['social_posts', { ...post, followers: -1 }, 'social_posts_followers_not_negative'],
    ['social_posts', { ...post, platform: 'myspace' }, 'social_posts_platform_known'],
    ['events', { ...event, id: '' }, 'events_id_not_empty'],
    ['events', { ...event, visitor_id: '' }, 'events_visitor_id_not_empty'],
    ['events', { ...event, name: '' }, 'events_name_not_empty'],
    ['events', { ...event, value: -1 }, 'events_value_not_negative'],
    ['events', { ...event, device: 'toaster' }, 'events_device_known'],
    ['events', { ...event, properties: JSON.stringify([1]) }, 'events_properties_object'],
    ['events', { ...event, customer_id: 'C-2' }, 'events_customer_fk'],
    ['social_posts', { ...post, impressions: -1 }, 'social_posts_impressions_not_negative'],
    ['social_posts', { ...post, clicks: -1 }, 'social_posts_clicks_not_negative'],
    ['social_posts', { ...post, saves: -1 }, 'social_posts_saves_not_negative'],
    ['social_posts', { ...post, clicks: 3, conversions: 4 }, 'social_posts_conversions_within_clicks'],
    ['social_posts', { ...post, conversions: 1 }, 'social_posts_conversions_within_clicks'],
    ['social_account_days', { ...accountDay, id: '' }, 'social_account_days_id_not_empty'],
    ['social_account_days', { ...accountDay, platform: 'myspace' }, 'social_account_days_platform_known'],
    ['social_account_days', { ...accountDay, followers: -1 }, 'social_account_days_followers_not_negative'],
    ['social_account_days', { ...accountDay, mentions: -1 }, 'social_account_days_mentions_not_negative'],
    ['social_account_days', { ...accountDay, messages_answered: 5 }, 'social_account_days_answered_within_received'],
    ['social_account_days', { ...accountDay, messages_received: null }, 'social_account_days_answered_within_received'],
    ['social_account_days', { ...accountDay, response_minutes: -1 }, 'social_account_days_response_minutes_with_answers'],
    [
      'social_account_days',
      { ...accountDay, messages_received: null, messages_answered: null },
      'social_account_days_response_minutes_with_answers',
    ],
    ['social_account_days', { ...accountDay, story_viewers: -1, story_completions: null }, 'social_account_days_stories_not_negative'],
    ['social_account_days', { ...accountDay, story_completions: 51 }, 'social_account_days_completions_within_viewers'],
    ['social_account_days', { ...accountDay, story_viewers: null }, 'social_account_days_completions_within_viewers'],
    ['social_account_days', { ...accountDay, tenant_id: 'nobody' }, 'social_account_days_tenant_id_foreign'],
    ['reviews', { ...review, id: '' }, 'reviews_id_not_empty'],
    ['reviews', { ...review, rating: 0 }, 'reviews_rating_on_scale'],
    ['reviews', { ...review, rating: 6 }, 'reviews_rating_on_scale'],
    ['reviews', { ...review, customer_id: 'C-2' }, 'reviews_customer_fk'],
    ['customers', { ...customer }, 'customers_pkey'],
    ['customers', { ...customer, id: '' }, 'customers_id_not_empty'],
    ['web_sessions', { ...session, visitor_id: '' }, 'web_sessions_visitor_id_not_empty'],
    ['web_sessions', { ...session, converted: undefined }, 'null value in column "converted"'],
    ['support_tickets', { ...ticket, contacts: undefined }, 'null value in column "contacts"'],
  ])('%s rejects a row that breaks $2', async (table, row, constraint) => {
    await expect(t.db(table).insert(row)).rejects.toThrow(constraint);
  });

  it('accepts rows that respect every rule', async () => {
    await t
      .db('subscriptions')
      .insert({ id: 'X-1', tenant_id: tenant, customer_id: 'C-1', plan: 'pro', started_at: '2025-01-01', mrr: 10 });
    await t.db('web_sessions').insert(session);
    await t.db('support_tickets').insert({ ...ticket, first_response_at: '2025-01-02T01:00:00Z', resolved_at: '2025-01-03T00:00:00Z' });
    await t.db('campaign_stats').insert(campaign);
    await t.db('social_posts').insert(post);
    await t.db('events').insert(event);
    await t.db('social_posts').insert({ ...post, id: 'P-2', impressions: 400, clicks: 12, saves: 3, conversions: 2 });
    await t.db('social_account_days').insert(accountDay);
    // A source without the optional counts: only the follower count is required.
    await t.db('social_account_days').insert({ id: 'D-2', tenant_id: tenant, platform: 'x', day: '2025-01-01', followers: 5 });
    await t.db('reviews').insert([review, { id: 'R-2', tenant_id: tenant, rating: 1, reviewed_at: '2025-01-04T00:00:00Z' }]);
    await expect(t.db('social_account_days').insert({ ...accountDay, id: 'D-3' })).rejects.toThrow(
      'social_account_days_one_row_per_account_day',
    );
    const { rows } = await t.db.raw('SELECT count(*)::int AS n FROM support_tickets');
    expect(rows[0].n).toBe(1);
  });

  it("identifies rows by tenant and the source's own id, so two tenants may both have a C-1", async () => {
    await t.db('customers').insert({ ...customer, tenant_id: other });
    await t.db('orders').insert([
      { id: 'O-1', tenant_id: tenant, customer_id: 'C-1', ordered_at: '2025-01-05', amount: 10 },
      { id: 'O-1', tenant_id: other, customer_id: 'C-1', ordered_at: '2025-01-05', amount: 20 },
    ]);
    const { rows } = await t.db.raw(
      `SELECT c.tenant_id, o.amount::float AS amount FROM orders o
         JOIN customers c ON c.tenant_id = o.tenant_id AND c.id = o.customer_id ORDER BY c.tenant_id`,
    );
    expect(rows).toEqual([
      { tenant_id: other, amount: 20 },
      { tenant_id: tenant, amount: 10 },
    ]);
  });

  it('loads a customer and a subscription without the columns a source may lack, leaving them NULL', async () => {
    await t.db('customers').insert({ id: 'bare', tenant_id: tenant, signup_at: '2025-01-01' });
    await t.db('subscriptions').insert({ id: 'bare', tenant_id: tenant, customer_id: 'bare', started_at: '2025-01-01' });
    await t.db('web_sessions').insert({
      id: 'bare',
      tenant_id: tenant,
      visitor_id: 'v',
      started_at: '2025-01-01',
      duration_seconds: 1,
      pageviews: 1,
      converted: true,
    });
    await t
      .db('survey_responses')
      .insert({ id: 'bare', tenant_id: tenant, customer_id: 'bare', kind: 'nps', score: 9, responded_at: '2025-01-02' });
    await t.db('support_tickets').insert({ id: 'bare', tenant_id: tenant, customer_id: 'bare', opened_at: '2025-01-02', contacts: 1 });
    const { rows } = await t.db.raw(
      `SELECT c.plan, c.segment, c.country, c.acquisition_channel, s.plan AS subscription_plan, s.mrr
         FROM customers c JOIN subscriptions s ON s.tenant_id = c.tenant_id AND s.customer_id = c.id WHERE c.id = 'bare'`,
    );
    expect(rows).toEqual([{ plan: null, segment: null, country: null, acquisition_channel: null, subscription_plan: null, mrr: null }]);
  });
});

describe('the source-id migration rolled back', () => {
  // Only this migration and the later tables whose foreign keys need the customers' key it
  // rebuilds (churn_risk_scores, events, reviews); the other later ones change no shape.
  const config = { migrationSource, tableName: 'knex_migrations', name: '20261201100000_source_ids_and_optional_columns' };
  const dependents = ['20261213000000_social_and_reviews', '20261212000000_events', '20261211000000_churn_risk_scores'].map((name) => ({
    ...config,
    name,
  }));
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await db.db('tenants').insert({ id: 'a', name: 'A', business_model: 'b2b' });
  });
  afterAll(() => db.drop());

  it('keeps whole-number ids through a rollback and back', async () => {
    await db
      .db('customers')
      .insert({ id: '17', tenant_id: 'a', signup_at: '2025-01-01', plan: 'p', segment: 's', country: 'DE', acquisition_channel: 'c' });
    await db.db('orders').insert({ id: '5', tenant_id: 'a', customer_id: '17', ordered_at: '2025-01-02', amount: 3 });
    for (const dependent of dependents) await db.db.migrate.down(dependent);
    await db.db.migrate.down(config);
    expect(await db.db('orders').select('id', 'customer_id')).toEqual([{ id: 5, customer_id: 17 }]);
    const { rows } = await db.db.raw(`SELECT data_type FROM information_schema.columns WHERE table_name = 'orders' AND column_name = 'id'`);
    expect(rows).toEqual([{ data_type: 'bigint' }]);
    await db.db.migrate.latest(config);
    expect(await db.db('orders').select('id', 'customer_id')).toEqual([{ id: '5', customer_id: '17' }]);
    expect(await db.db('churn_risk_scores').count()).toEqual([{ count: 0 }]);
    expect(await db.db('events').count()).toEqual([{ count: 0 }]);
    expect(await db.db('reviews').count()).toEqual([{ count: 0 }]);
  });

  it('refuses, naming the column and the value, when an id is not a whole number or a column is missing', async () => {
    await db.db('customers').insert({ id: 'C-1', tenant_id: 'a', signup_at: '2025-01-01' });
    await expect(db.db.migrate.down(config)).rejects.toThrow(
      /customers\.id holds "C-1", not a whole number; .*customers\.plan is missing on 1 rows/,
    );
    const { rows } = await db.db.raw(
      `SELECT data_type FROM information_schema.columns WHERE table_name = 'customers' AND column_name = 'id'`,
    );
    expect(rows).toEqual([{ data_type: 'text' }]);
  });
});

describe('a database made again under the name of a dropped one', () => {
  it('migrates, adopting the roles the dropped one left, with whatever they were given since taken back', async () => {
    const again = await createTestDatabase();
    const name = new URL(again.url).pathname.slice(1);
    const reader = `${rolePrefix(name)}_reader`;
    const admin = connect(inject('adminDatabaseUrl'), { min: 0, max: 1 });
    try {
      // What a leftover role might have been given after its database was dropped.
      await admin.raw(`ALTER ROLE ${reader} LOGIN CREATEDB BYPASSRLS`);
      await again.db.destroy();
      await admin.raw(`DROP DATABASE ${name} WITH (FORCE)`);
      await admin.raw(`CREATE DATABASE ${name}`);
      const remade = connect(again.url);
      try {
        expect((await migrateLatest(remade)).length).toBeGreaterThan(0);
      } finally {
        await remade.destroy();
      }
      const { rows } = await admin.raw('SELECT rolcanlogin, rolcreatedb, rolbypassrls FROM pg_roles WHERE rolname = ?', [reader]);
      expect(rows).toEqual([{ rolcanlogin: false, rolcreatedb: false, rolbypassrls: false }]);
    } finally {
      await admin.destroy();
      await again.drop();
    }
  });
});
