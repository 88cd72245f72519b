import type pg from 'pg';

/**
 * Drops the tables' foreign keys, primary keys and the indexes that back no constraint, and
 * returns a function that re-creates them exactly as the catalog described them.
 *
 * Why: during a COPY every row fires one trigger per foreign key and updates every index, which
 * made loading web_sessions three times slower than loading it bare and re-creating them (sorted
 * index builds, one anti-join per foreign key). Primary keys too: ids "1", "2", … "10" arrive in
 * an order that is not the text order of the key, so each row went to another leaf of the index,
 * half the time of loading events; built after the load, the index is one sort. Only keys no foreign
 * key references (those of the fact tables, the large ones) can go. Re-adding a key
 * checks every row, so the constraints stay honest (a duplicate id fails the load); and as all of
 * it runs in the load's transaction, a failure or a killed process rolls the schema back with the
 * data. Unique and check constraints stay.
 */
export async function dropDeferrableConstraints(client: pg.Client, tables: readonly string[]): Promise<() => Promise<void>> {
  const { rows: constraints } = await client.query<{ table: string; name: string; definition: string; type: 'f' | 'p' }>(
    `SELECT conrelid::regclass::text AS table, quote_ident(conname) AS name, pg_get_constraintdef(oid) AS definition, contype AS type
       FROM pg_constraint p WHERE conrelid = ANY($1::regclass[])
        AND (contype = 'f' OR contype = 'p' AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = p.conindid))
      ORDER BY conrelid::regclass::text, conname`,
    [tables],
  );
  const { rows: indexes } = await client.query<{ name: string; definition: string }>(
    `SELECT indexrelid::regclass::text AS name, pg_get_indexdef(indexrelid) AS definition
       FROM pg_index i WHERE indrelid = ANY($1::regclass[])
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
      ORDER BY indexrelid::regclass::text`,
    [tables],
  );
  const foreignKeys = constraints.filter((c) => c.type === 'f');
  const primaryKeys = constraints.filter((c) => c.type === 'p');
  for (const fk of foreignKeys) await client.query(`ALTER TABLE ${fk.table} DROP CONSTRAINT ${fk.name}`);
  for (const pk of primaryKeys) await client.query(`ALTER TABLE ${pk.table} DROP CONSTRAINT ${pk.name}`);
  for (const index of indexes) await client.query(`DROP INDEX ${index.name}`);

  return async () => {
    for (const pk of primaryKeys) await client.query(`ALTER TABLE ${pk.table} ADD CONSTRAINT ${pk.name} ${pk.definition}`);
    for (const index of indexes) await client.query(index.definition);
    for (const fk of foreignKeys) await client.query(`ALTER TABLE ${fk.table} ADD CONSTRAINT ${fk.name} ${fk.definition}`);
  };
}
