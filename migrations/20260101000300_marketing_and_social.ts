import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('campaign_stats', (t) => {
    t.bigInteger('id').primary();
    t.text('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.text('campaign').notNullable();
    t.text('channel').notNullable().checkIn(['email', 'search', 'display', 'social'], 'campaign_stats_channel_known');
    t.date('day').notNullable();
    // For email, impressions are delivered messages.
    t.bigInteger('impressions').notNullable();
    t.bigInteger('clicks').notNullable();
    t.bigInteger('conversions').notNullable();
    t.unique(['tenant_id', 'campaign', 'day']);
    t.index(['tenant_id', 'day']);
  });
  // 0 ≤ conversions ≤ clicks ≤ impressions, so no count can be negative.
  await knex.raw(`ALTER TABLE campaign_stats
    ADD CONSTRAINT campaign_stats_clicks_within_impressions CHECK (clicks >= 0 AND clicks <= impressions),
    ADD CONSTRAINT campaign_stats_conversions_within_clicks CHECK (conversions >= 0 AND conversions <= clicks)`);

  await knex.schema.createTable('social_posts', (t) => {
    t.bigInteger('id').primary();
    t.text('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.text('platform').notNullable().checkIn(['instagram', 'facebook', 'tiktok', 'linkedin', 'x'], 'social_posts_platform_known');
    t.timestamp('posted_at', { useTz: true }).notNullable();
    // Followers of the account when the post went out: the engagement rate's denominator.
    t.integer('followers').notNullable();
    t.integer('likes').notNullable();
    t.integer('shares').notNullable();
    t.integer('comments').notNullable();
    t.index(['tenant_id', 'posted_at']);
  });
  await knex.raw(`ALTER TABLE social_posts
    ADD CONSTRAINT social_posts_followers_not_negative CHECK (followers >= 0),
    ADD CONSTRAINT social_posts_reactions_not_negative CHECK (likes >= 0 AND shares >= 0 AND comments >= 0)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('social_posts');
  await knex.schema.dropTable('campaign_stats');
}
