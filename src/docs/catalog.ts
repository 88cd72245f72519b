import type { Knex } from 'knex';

/** What PostgreSQL's catalog says about one column of a warehouse table. */
export interface CatalogColumn {
  name: string;
  /** As PostgreSQL writes it: text, bigint, numeric(12,2), timestamp with time zone, … */
  type: string;
  notNull: boolean;
  /** The default's SQL, or null when the column has none. */
  default: string | null;
  /** COMMENT ON COLUMN: what the column holds, or why it is as it is. */
  note: string | null;
}

export interface CatalogConstraint {
  name: string;
  kind: 'primary key' | 'unique' | 'foreign key' | 'check';
  columns: string[];
  /** pg_get_constraintdef: `CHECK ((mrr >= (0)::numeric))`, `FOREIGN KEY (…) REFERENCES …`. */
  definition: string;
}

export interface CatalogTable {
  name: string;
  /** COMMENT ON TABLE. */
  note: string | null;
  columns: CatalogColumn[];
  constraints: CatalogConstraint[];
}

const KINDS = { p: 'primary key', u: 'unique', f: 'foreign key', c: 'check' } as const;

/** The warehouse's tables in the public schema (not knex's bookkeeping), columns in their order. */
export async function readCatalog(db: Knex): Promise<CatalogTable[]> {
  const { rows: columns } = await db.raw(`
    SELECT c.relname AS table, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
           a.attnotnull AS not_null, pg_get_expr(d.adbin, d.adrelid) AS default,
           col_description(c.oid, a.attnum) AS note, obj_description(c.oid, 'pg_class') AS table_note
      FROM pg_class c
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
     WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND c.relname NOT LIKE 'knex\\_%'
     ORDER BY c.relname, a.attnum`);
  const { rows: constraints } = await db.raw(`
    SELECT k.conrelid::regclass::text AS table, k.conname AS name, k.contype AS kind, pg_get_constraintdef(k.oid) AS definition,
           ARRAY(SELECT a.attname::text FROM unnest(k.conkey) WITH ORDINALITY AS u(attnum, i)
                   JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum ORDER BY u.i) AS columns
      FROM pg_constraint k
     WHERE k.connamespace = 'public'::regnamespace AND k.conrelid <> 0 AND k.contype IN ('p', 'u', 'f', 'c')
     ORDER BY k.conname`);
  const tables = new Map<string, CatalogTable>();
  type Row = {
    table: string;
    name: string;
    type: string;
    not_null: boolean;
    default: string | null;
    note: string | null;
    table_note: string | null;
  };
  for (const c of columns as Row[]) {
    const table = tables.get(c.table) ?? { name: c.table, note: c.table_note, columns: [], constraints: [] };
    table.columns.push({ name: c.name, type: c.type, notNull: c.not_null, default: c.default, note: c.note });
    tables.set(c.table, table);
  }
  for (const k of constraints as { table: string; name: string; kind: keyof typeof KINDS; definition: string; columns: string[] }[]) {
    tables.get(k.table)?.constraints.push({ name: k.name, kind: KINDS[k.kind], columns: k.columns, definition: k.definition });
  }
  return [...tables.values()];
}
