import type { Knex } from 'knex';

// Period KPIs (customers at period start, cohort ages) join to this spine instead of
// cross-joining generated series in every query (Cube's cohort recipe is slow: cube-js/cube#8804).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('date_spine', (t) => {
    t.date('day').primary();
  });
  await knex.raw(`INSERT INTO date_spine (day)
    SELECT d::date FROM generate_series(date '2000-01-01', date '2050-12-31', interval '1 day') AS d`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('date_spine');
}
