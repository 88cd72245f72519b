import type pg from 'pg';
import { TENANT_COLUMN, type Column, type TableShape } from './catalog.js';
import { TYPED_TABLE } from './validate.js';

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
  const written = [TENANT_COLUMN, ...columns.map((c) => c.name)];
  const key = shape.primaryKey;
  const updatable = written.filter((c) => !key.includes(c));
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
