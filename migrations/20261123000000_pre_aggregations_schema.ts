import type { Knex } from 'knex';
import { PRE_AGGREGATIONS_SCHEMA } from '../src/cube/pre-aggregations-schema.js';

// Cube would create this schema on first use, but a board's first queries arrive together and
// each runs CREATE SCHEMA IF NOT EXISTS; PostgreSQL fails all but one of those racing creates.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE SCHEMA IF NOT EXISTS ${PRE_AGGREGATIONS_SCHEMA}`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP SCHEMA IF EXISTS ${PRE_AGGREGATIONS_SCHEMA} CASCADE`);
}
