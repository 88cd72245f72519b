import type { Knex } from 'knex';
import { addNotes, shareWithCubeRoles } from './support/tenant-tables.js';

// The brief's social and feedback KPIs. A post's clicks, saves and the conversions its link
// brought sit on the post, as the platforms' post exports carry them (optional: not every
// platform reports each). What an account does per day rather than per post (its follower
// count, brand mentions, the messages it answered, its stories) goes in a daily table, as the
// platforms' account insights export it. Reviews on public review sites, one row each, with the
// customer when the source can match them. Tenancy as for the other fact tables.
const TABLES = ['social_account_days', 'reviews'];
const POST_COLUMNS = ['impressions', 'clicks', 'saves', 'conversions'];

const NOTES: Record<string, string> = {
  'social_posts.impressions': "Times the post was shown (the platform's impressions); NULL when the source does not say.",
  'social_posts.clicks': "Clicks on the post's link; NULL when the source does not say.",
  'social_posts.saves': 'Times the post was saved or bookmarked; NULL when the platform has no saves.',
  'social_posts.conversions': "Conversions the source attributes to the post's link clicks; NULL when it attributes none.",
  social_account_days:
    'One row per social account and day, as account insights export it: followers, brand mentions, messages answered, stories.',
  'social_account_days.id': "The source's own row id.",
  'social_account_days.followers': 'Followers of the account at the end of the day: follower growth reads it.',
  'social_account_days.mentions': "Posts by others that mention the brand that day (the listening tool's count); NULL when not tracked.",
  'social_account_days.messages_received': 'Messages and comments received that day that ask for a reply; NULL when not tracked.',
  'social_account_days.messages_answered': 'Of messages_received, those the brand answered (on the day or later).',
  'social_account_days.response_minutes':
    'Minutes from message to first reply, summed over messages_answered: social response time is this ÷ messages_answered.',
  'social_account_days.stories': 'Stories posted that day; NULL when the platform has no stories.',
  'social_account_days.story_viewers': "Accounts that saw the first frame of the day's stories.",
  'social_account_days.story_completions': 'Of story_viewers, those who watched to the last frame: story completion.',
  reviews: 'Ratings and reviews of the business on review sites and app stores, one row each: review volume and rating.',
  'reviews.id': "The source's own review id.",
  'reviews.customer_id': 'The reviewing customer when the source can match them; NULL for an anonymous or unmatched review.',
  'reviews.rating': 'Stars, 1 to 5.',
  'reviews.source': 'Where the review was left (google, trustpilot, app_store, g2, …); NULL when the source does not say.',
  'reviews.product': 'The product reviewed, when the review is about one.',
  'reviews.body': "The review's text, when it has one.",
};

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('social_posts', (t) => {
    for (const column of POST_COLUMNS) t.integer(column);
  });
  // A count that needs another (conversions of clicks, answers of messages) is checked against it
  // only when given, and then the other must be given too.
  await knex.raw(`ALTER TABLE social_posts
    ADD CONSTRAINT social_posts_impressions_not_negative CHECK (impressions >= 0),
    ADD CONSTRAINT social_posts_clicks_not_negative CHECK (clicks >= 0),
    ADD CONSTRAINT social_posts_saves_not_negative CHECK (saves >= 0),
    ADD CONSTRAINT social_posts_conversions_within_clicks CHECK (conversions IS NULL OR (clicks IS NOT NULL AND conversions BETWEEN 0 AND clicks))`);

  await knex.schema.createTable('social_account_days', (t) => {
    t.text('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.text('id').notNullable();
    t.primary(['tenant_id', 'id']);
    t.text('platform').notNullable().checkIn(['instagram', 'facebook', 'tiktok', 'linkedin', 'x'], 'social_account_days_platform_known');
    t.date('day').notNullable();
    t.integer('followers').notNullable();
    t.integer('mentions');
    t.integer('messages_received');
    t.integer('messages_answered');
    t.bigInteger('response_minutes');
    t.integer('stories');
    t.integer('story_viewers');
    t.integer('story_completions');
    t.unique(['tenant_id', 'platform', 'day'], { indexName: 'social_account_days_one_row_per_account_day' });
    t.index(['tenant_id', 'day']);
  });
  await knex.raw(`ALTER TABLE social_account_days
    ADD CONSTRAINT social_account_days_id_not_empty CHECK (id <> ''),
    ADD CONSTRAINT social_account_days_followers_not_negative CHECK (followers >= 0),
    ADD CONSTRAINT social_account_days_mentions_not_negative CHECK (mentions >= 0),
    ADD CONSTRAINT social_account_days_answered_within_received
      CHECK (messages_answered IS NULL OR (messages_received IS NOT NULL AND messages_answered BETWEEN 0 AND messages_received)),
    ADD CONSTRAINT social_account_days_response_minutes_with_answers
      CHECK (response_minutes IS NULL OR (messages_answered IS NOT NULL AND response_minutes >= 0)),
    ADD CONSTRAINT social_account_days_stories_not_negative CHECK (stories >= 0 AND story_viewers >= 0),
    ADD CONSTRAINT social_account_days_completions_within_viewers
      CHECK (story_completions IS NULL OR (story_viewers IS NOT NULL AND story_completions BETWEEN 0 AND story_viewers))`);

  await knex.schema.createTable('reviews', (t) => {
    t.text('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.text('id').notNullable();
    t.primary(['tenant_id', 'id']);
    t.text('customer_id');
    t.smallint('rating').notNullable();
    t.timestamp('reviewed_at', { useTz: true }).notNullable();
    t.text('source');
    t.text('product');
    t.text('body');
    t.index(['tenant_id', 'reviewed_at']);
    t.index(['tenant_id', 'customer_id']);
  });
  // A public review outlives the customer record it was matched to.
  await knex.raw(`ALTER TABLE reviews
    ADD CONSTRAINT reviews_customer_fk FOREIGN KEY (tenant_id, customer_id)
      REFERENCES customers (tenant_id, id) ON DELETE SET NULL (customer_id),
    ADD CONSTRAINT reviews_id_not_empty CHECK (id <> ''),
    ADD CONSTRAINT reviews_rating_on_scale CHECK (rating BETWEEN 1 AND 5)`);

  await addNotes(knex, NOTES);
  await shareWithCubeRoles(knex, TABLES);
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [...TABLES].reverse()) await knex.schema.dropTable(table);
  await knex.schema.alterTable('social_posts', (t) => {
    t.dropColumns(...POST_COLUMNS);
  });
}
