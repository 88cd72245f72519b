import knex, { type Knex } from 'knex';
import pg from 'pg';

// Return bigint and numeric as JS numbers: counts and money in this warehouse fit in a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));

export function connect(url: string, pool: Knex.PoolConfig = { min: 0, max: 4 }): Knex {
  return knex({ client: 'pg', connection: url, pool });
}
