import type pg from 'pg';
import { TENANT_COLUMN, type Column, type TableShape } from './catalog.js';
import { TYPED_TABLE } from './validate.js';

/**
 * Takes the locks an import holds to its end: no other writer on the table, and none on the
 * tables it references, so every reference checked before the merge still holds after it.
 * Readers (Cube) are not held up.
 */
export async function lockForImport(client: pg.ClientBase, shape: TableShape): Promise<void> {
  const id = (name: string) => client.escapeIdentifier(name);
  await client.query(`LOCK TABLE ${id(shape.name)} IN SHARE ROW EXCLUSIVE MODE`);
  const referenced = [...new Set(shape.foreignKeys.map((fk) => fk.referencedTable))].filter((t) => t !== shape.name);
  if (referenced.length) await client.query(`LOCK TABLE ${referenced.map(id).join(', ')} IN SHARE MODE`);
}

function mergeColumns(shape: TableShape, columns: Column[]) {
  const written = [TENANT_COLUMN, ...columns.map((c) => c.name)];
  const key = shape.primaryKey;
  return { written, key, updatable: written.filter((c) => !key.includes(c)) };
}

/**
 * Notes in tenancy.data_changes from which instant on this import changes the tenant's data, so
 * the rollup partitions from there on are rebuilt: the earliest date or time, old or new, of a
 * row that is added or changed. Changed rows of a table others reference (a customer's plan or
 * segment) reach every period of the facts broken down by them: then from the beginning.
 */
async function recordChange(client: pg.ClientBase, shape: TableShape, columns: Column[]): Promise<void> {
  const id = (name: string) => client.escapeIdentifier(name);
  const { key, updatable } = mergeColumns(shape, columns);
  const times = shape.columns.filter((c) => c.category === 'D');
  const inFile = new Set(columns.map((c) => c.name));
  const instants = [
    ...times.filter((c) => inFile.has(c.name)).map((c) => `n.${id(c.name)}::timestamptz`),
    ...times.map((c) => `o.${id(c.name)}::timestamptz`),
  ];
  const touches =
    shape.referencedBy.length > 0
      ? `CASE WHEN bool_or(o.${id(key[0]!)} IS NOT NULL) THEN '-infinity'::timestamptz END`
      : 'NULL::timestamptz';
  const differs = updatable.length
    ? `OR ROW(${updatable.map((c) => `o.${id(c)}`).join(', ')}) IS DISTINCT FROM ROW(${updatable.map((c) => `n.${id(c)}`).join(', ')})`
    : '';
  await client.query(
    `INSERT INTO tenancy.data_changes (tenant_id, from_at)
     SELECT tenant_id, coalesce(touches, earliest, '-infinity'::timestamptz) FROM (
       SELECT min(n.${id(TENANT_COLUMN)}) AS tenant_id, ${touches} AS touches, min(least(${instants.join(', ') || 'NULL'})) AS earliest, count(*) AS changed
       FROM ${TYPED_TABLE} n LEFT JOIN ${id(shape.name)} o ON ${key.map((c) => `o.${id(c)} = n.${id(c)}`).join(' AND ')}
       WHERE o.${id(key[0]!)} IS NULL ${differs}) c
     WHERE changed > 0`,
  );
}

export interface MergeCounts {
  added: number;
  updated: number;
  unchanged: number;
}

/**
 * Merges the typed rows into the table on its primary key (the tenant and the source's id): a
 * new key is added, a row whose values differ is updated, an identical one is left alone, so
 * importing the same file twice changes nothing. Columns the file leaves out keep their values.
 * An UPDATE and a plain INSERT under a lock that keeps other writers out (readers are not
 * held up): INSERT … ON CONFLICT checks every row twice and took twice as long.
 */
export async function mergeTypedRows(client: pg.ClientBase, shape: TableShape, columns: Column[]): Promise<MergeCounts> {
  const id = (name: string) => client.escapeIdentifier(name);
  const { written, key, updatable } = mergeColumns(shape, columns);
  const table = id(shape.name);
  await recordChange(client, shape, columns);
  const sameKey = key.map((c) => `t.${id(c)} = n.${id(c)}`).join(' AND ');
  const updated = updatable.length
    ? ((
        await client.query(
          `UPDATE ${table} AS t SET ${updatable.map((c) => `${id(c)} = n.${id(c)}`).join(', ')}
           FROM ${TYPED_TABLE} n
           WHERE ${sameKey}
             AND ROW(${updatable.map((c) => `t.${id(c)}`).join(', ')}) IS DISTINCT FROM ROW(${updatable.map((c) => `n.${id(c)}`).join(', ')})`,
        )
      ).rowCount ?? 0)
    : 0;
  const list = written.map(id).join(', ');
  const added =
    (
      await client.query(
        `INSERT INTO ${table} (${list})
         SELECT ${written.map((c) => `n.${id(c)}`).join(', ')} FROM ${TYPED_TABLE} n
         WHERE NOT EXISTS (SELECT 1 FROM ${table} t WHERE ${sameKey})`,
      )
    ).rowCount ?? 0;
  const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${TYPED_TABLE}`);
  return { added, updated, unchanged: Number(rows[0]!.n) - added - updated };
}
