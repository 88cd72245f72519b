import type { Knex } from 'knex';

// A tenant's "data through" instant: its history is complete up to the end of that instant's UTC
// day. Null (the default) means "the latest event recorded for the tenant" (schema/cubes/
// observation.yml); `npm run import -- --through DATE` sets it when a source is known to be
// complete further than its last event, or sets it earlier to cut off a partial last day.
//
// The month series of the cohort triangle is generated per cohort up to that end, so the fixed
// 2000–2050 date spine is no longer read: history from any year gets its triangle.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tenants', (t) => {
    t.timestamp('data_through', { useTz: true }).nullable();
  });
  await knex.raw(
    `COMMENT ON COLUMN tenants.data_through IS 'History is complete through the end of this instant''s UTC day; empty: through the latest event recorded for the tenant.'`,
  );
  await knex.schema.dropTable('date_spine');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.createTable('date_spine', (t) => {
    t.date('day').primary();
  });
  await knex.raw(`INSERT INTO date_spine (day)
    SELECT d::date FROM generate_series(date '2000-01-01', date '2050-12-31', interval '1 day') AS d`);
  const { rows } = await knex.raw('SELECT tenancy.role_prefix() AS prefix');
  const prefix = (rows as { prefix: string }[])[0]!.prefix;
  await knex.raw(`GRANT SELECT ON date_spine TO ${prefix}_reader, ${prefix}_admin`);
  await knex.schema.alterTable('tenants', (t) => {
    t.dropColumn('data_through');
  });
}
