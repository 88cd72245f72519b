import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('survey_responses', (t) => {
    t.bigInteger('id').primary();
    t.text('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.bigInteger('customer_id').notNullable();
    t.foreign(['tenant_id', 'customer_id']).references(['tenant_id', 'id']).inTable('customers').onDelete('CASCADE');
    t.text('kind').notNullable().checkIn(['nps', 'csat', 'ces'], 'survey_responses_kind_known');
    t.smallint('score').notNullable();
    t.timestamp('responded_at', { useTz: true }).notNullable();
    t.text('touchpoint').notNullable();
    t.index(['tenant_id', 'responded_at']);
    t.index(['customer_id']);
  });
  // Each survey has its own scale: NPS 0–10, CSAT 1–5, CES 1–7.
  await knex.raw(`ALTER TABLE survey_responses ADD CONSTRAINT survey_responses_score_on_scale CHECK (
    (kind = 'nps' AND score BETWEEN 0 AND 10) OR
    (kind = 'csat' AND score BETWEEN 1 AND 5) OR
    (kind = 'ces' AND score BETWEEN 1 AND 7))`);

  await knex.schema.createTable('support_tickets', (t) => {
    t.bigInteger('id').primary();
    t.text('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.bigInteger('customer_id').notNullable();
    t.foreign(['tenant_id', 'customer_id']).references(['tenant_id', 'id']).inTable('customers').onDelete('CASCADE');
    t.timestamp('opened_at', { useTz: true }).notNullable();
    t.timestamp('first_response_at', { useTz: true });
    t.timestamp('resolved_at', { useTz: true });
    t.text('channel').notNullable().checkIn(['email', 'chat', 'phone', 'social'], 'support_tickets_channel_known');
    t.smallint('tier').notNullable();
    // How many customer contacts the ticket took; 1 on a resolved ticket is a first-contact resolution.
    t.integer('contacts').notNullable().defaultTo(1);
    t.index(['tenant_id', 'opened_at']);
    t.index(['customer_id']);
  });
  await knex.raw(`ALTER TABLE support_tickets
    ADD CONSTRAINT support_tickets_tier_known CHECK (tier BETWEEN 1 AND 3),
    ADD CONSTRAINT support_tickets_at_least_one_contact CHECK (contacts >= 1),
    ADD CONSTRAINT support_tickets_response_after_open CHECK (first_response_at IS NULL OR first_response_at >= opened_at),
    ADD CONSTRAINT support_tickets_resolved_after_open CHECK (resolved_at IS NULL OR resolved_at >= opened_at)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('support_tickets');
  await knex.schema.dropTable('survey_responses');
}
