import type { Knex } from 'knex';
import { tableSources } from '../../seeds/tables.js';

export const UNTIL = new Date('2026-11-01T00:00:00Z');
export const seededTables = tableSources.map((source) => source.table);

/**
 * An md5 of each table's rows in key order: equal hashes mean byte-identical data. Ids are unique
 * per tenant only (every tenant has a "1"), so the order is by tenant too: in id order alone, rows
 * of equal ids came in whatever order the scan met them, and the same data could hash differently.
 */
export async function tableHashes(db: Knex): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {};
  for (const table of seededTables) {
    const order = table === 'tenants' ? 't.id' : 't.tenant_id, t.id';
    const { rows } = await db.raw(`SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY ${order}), '')) AS hash FROM ${table} t`);
    hashes[table] = rows[0].hash;
  }
  return hashes;
}

export async function rowCounts(db: Knex): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of seededTables) counts[table] = Number((await db(table).count({ n: '*' }))[0]!.n);
  return counts;
}

/** Every constraint and index of the public schema, as the catalog prints them. */
export async function schemaObjects(db: Knex): Promise<string[]> {
  const { rows } = await db.raw(`
    SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) || ' validated=' || convalidated AS object
      FROM pg_constraint WHERE connamespace = 'public'::regnamespace
    UNION ALL
    SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'
    ORDER BY 1`);
  return rows.map((r: { object: string }) => r.object);
}
