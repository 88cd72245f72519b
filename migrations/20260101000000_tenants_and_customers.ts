import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('tenants', (t) => {
    t.text('id').primary();
    t.text('name').notNullable();
    t.text('business_model').notNullable().checkIn(['b2b', 'b2c'], 'tenants_business_model_known');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('customers', (t) => {
    t.bigInteger('id').primary();
    t.text('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.timestamp('signup_at', { useTz: true }).notNullable();
    t.text('plan').notNullable();
    t.text('segment').notNullable();
    t.specificType('country', 'char(2)').notNullable();
    t.text('acquisition_channel').notNullable();
    t.index(['tenant_id', 'signup_at']);
    // Facts reference (tenant_id, customer_id), so a row can never point at another tenant's customer.
    t.unique(['tenant_id', 'id']);
  });
  await knex.raw(`ALTER TABLE customers ADD CONSTRAINT customers_country_iso CHECK (country ~ '^[A-Z]{2}$')`);

  await knex.schema.createTable('subscriptions', (t) => {
    t.bigInteger('id').primary();
    t.text('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.bigInteger('customer_id').notNullable();
    t.foreign(['tenant_id', 'customer_id']).references(['tenant_id', 'id']).inTable('customers').onDelete('CASCADE');
    t.text('plan').notNullable();
    t.timestamp('started_at', { useTz: true }).notNullable();
    t.timestamp('ended_at', { useTz: true });
    t.decimal('mrr', 12, 2).notNullable();
    t.index(['tenant_id', 'started_at']);
    t.index(['tenant_id', 'ended_at']);
    t.index(['customer_id']);
  });
  await knex.raw(`ALTER TABLE subscriptions
    ADD CONSTRAINT subscriptions_mrr_not_negative CHECK (mrr >= 0),
    ADD CONSTRAINT subscriptions_ends_after_start CHECK (ended_at IS NULL OR ended_at >= started_at)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('subscriptions');
  await knex.schema.dropTable('customers');
  await knex.schema.dropTable('tenants');
}
