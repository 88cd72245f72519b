import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('orders', (t) => {
    t.bigInteger('id').primary();
    t.text('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.bigInteger('customer_id').notNullable();
    t.foreign(['tenant_id', 'customer_id']).references(['tenant_id', 'id']).inTable('customers').onDelete('CASCADE');
    t.timestamp('ordered_at', { useTz: true }).notNullable();
    t.decimal('amount', 12, 2).notNullable();
    t.index(['tenant_id', 'ordered_at']);
    t.index(['customer_id']);
  });
  await knex.raw(`ALTER TABLE orders ADD CONSTRAINT orders_amount_not_negative CHECK (amount >= 0)`);

  await knex.schema.createTable('web_sessions', (t) => {
    t.bigInteger('id').primary();
    t.text('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    // Anonymous visitors have no customer; a visitor id is stable across their sessions.
    t.bigInteger('visitor_id').notNullable();
    t.bigInteger('customer_id');
    t.timestamp('started_at', { useTz: true }).notNullable();
    t.integer('duration_seconds').notNullable();
    t.integer('pageviews').notNullable();
    t.text('landing_page').notNullable();
    t.text('channel').notNullable();
    t.text('referrer');
    t.text('device').notNullable().checkIn(['desktop', 'mobile', 'tablet'], 'web_sessions_device_known');
    t.boolean('converted').notNullable().defaultTo(false);
    t.index(['tenant_id', 'started_at']);
    t.index(['customer_id']);
  });
  await knex.raw(`ALTER TABLE web_sessions
    ADD CONSTRAINT web_sessions_customer_fk FOREIGN KEY (tenant_id, customer_id)
      REFERENCES customers (tenant_id, id) ON DELETE SET NULL (customer_id),
    ADD CONSTRAINT web_sessions_duration_not_negative CHECK (duration_seconds >= 0),
    ADD CONSTRAINT web_sessions_at_least_one_pageview CHECK (pageviews >= 1)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('web_sessions');
  await knex.schema.dropTable('orders');
}
