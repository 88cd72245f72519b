import type pg from 'pg';
import { TENANT_COLUMN, type Column, type TableShape } from './catalog.js';
import { TYPED_TABLE } from './validate.js';

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
 * Upserts the typed rows into the table on its primary key (the tenant and the source's id): a
 * new key is added, a row whose values differ is updated, an identical one is left alone, so
 * importing the same file twice changes nothing. Columns the file leaves out keep their values.
 */
export async function mergeTypedRows(client: pg.ClientBase, shape: TableShape, columns: Column[]): Promise<MergeCounts> {
  const id = (name: string) => client.escapeIdentifier(name);
  const { written, key, updatable } = mergeColumns(shape, columns);
  await recordChange(client, shape, columns);
  const list = written.map(id).join(', ');
  const onConflict = updatable.length
    ? `DO UPDATE SET ${updatable.map((c) => `${id(c)} = EXCLUDED.${id(c)}`).join(', ')}
       WHERE ROW(${updatable.map((c) => `t.${id(c)}`).join(', ')}) IS DISTINCT FROM ROW(${updatable.map((c) => `EXCLUDED.${id(c)}`).join(', ')})
         AND t.${id(TENANT_COLUMN)} = EXCLUDED.${id(TENANT_COLUMN)}`
    : 'DO NOTHING';
  const { rows } = await client.query<{ rows: string; added: string; updated: string }>(
    `WITH merged AS (
       INSERT INTO ${id(shape.name)} AS t (${list})
       SELECT ${list} FROM ${TYPED_TABLE} ORDER BY line
       ON CONFLICT (${key.map(id).join(', ')}) ${onConflict}
       RETURNING (xmax = 0) AS added
     )
     SELECT (SELECT count(*) FROM ${TYPED_TABLE}) AS rows, count(*) FILTER (WHERE added) AS added, count(*) FILTER (WHERE NOT added) AS updated
     FROM merged`,
  );
  const total = Number(rows[0]!.rows);
  const added = Number(rows[0]!.added);
  const updated = Number(rows[0]!.updated);
  return { added, updated, unchanged: total - added - updated };
}
