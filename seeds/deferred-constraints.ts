import type pg from 'pg';

/**
 * Drops the tables' foreign keys and their indexes that back no constraint, and returns a
 * function that re-creates them exactly as the catalog described them.
 *
 * Why: during a COPY every row fires one trigger per foreign key and updates every index, which
 * made loading web_sessions three times slower than loading it bare and re-creating them (sorted
 * index builds, one anti-join per foreign key). Re-adding a foreign key checks every row, so the
 * constraints stay honest; and as all of it runs in the load's transaction, a failure or a killed
 * process rolls the schema back with the data. Primary keys, unique and check constraints stay.
 */
export async function dropForeignKeysAndIndexes(client: pg.Client, tables: readonly string[]): Promise<() => Promise<void>> {
  const { rows: foreignKeys } = await client.query<{ table: string; name: string; definition: string }>(
    `SELECT conrelid::regclass::text AS table, quote_ident(conname) AS name, pg_get_constraintdef(oid) AS definition
       FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY($1::regclass[]) ORDER BY conrelid::regclass::text, conname`,
    [tables],
  );
  const { rows: indexes } = await client.query<{ name: string; definition: string }>(
    `SELECT indexrelid::regclass::text AS name, pg_get_indexdef(indexrelid) AS definition
       FROM pg_index i WHERE indrelid = ANY($1::regclass[])
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
      ORDER BY indexrelid::regclass::text`,
    [tables],
  );
  for (const fk of foreignKeys) await client.query(`ALTER TABLE ${fk.table} DROP CONSTRAINT ${fk.name}`);
  for (const index of indexes) await client.query(`DROP INDEX ${index.name}`);

  return async () => {
    for (const index of indexes) await client.query(index.definition);
    for (const fk of foreignKeys) await client.query(`ALTER TABLE ${fk.table} ADD CONSTRAINT ${fk.name} ${fk.definition}`);
  };
}
