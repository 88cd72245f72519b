import type { Knex } from 'knex';

// The currency a tenant's money is in, so that CLV, ARPU and revenue show in it on every board
// (the Grafana backend reads it through the tenants cube). One currency per tenant: amounts are
// never converted, and a source in another currency is loaded as a tenant of its own.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tenants', (t) => {
    t.text('currency').notNullable().defaultTo('USD');
  });
  await knex.raw(`ALTER TABLE tenants ADD CONSTRAINT tenants_currency_iso CHECK (currency ~ '^[A-Z]{3}$')`);
  await knex.raw(
    `COMMENT ON COLUMN tenants.currency IS 'ISO 4217 code of every amount of the tenant (mrr, order amounts), e.g. EUR; not converted.'`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tenants', (t) => {
    t.dropColumn('currency');
  });
}
