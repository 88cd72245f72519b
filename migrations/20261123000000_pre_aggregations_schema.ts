import type { Knex } from 'knex';

/**
 * The warehouse schema Cube builds its rollup tables in (there is no Cube Store here). The
 * migration owns the name, so an applied migration never changes under it; the runtime reads it
 * from here.
 */
export const PRE_AGGREGATIONS_SCHEMA = 'cube_pre_aggregations';

// Cube would create this schema on first use, but a board's first queries arrive together and
// each runs CREATE SCHEMA IF NOT EXISTS; PostgreSQL fails all but one of those racing creates.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE SCHEMA IF NOT EXISTS ${PRE_AGGREGATIONS_SCHEMA}`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP SCHEMA IF EXISTS ${PRE_AGGREGATIONS_SCHEMA} CASCADE`);
}
