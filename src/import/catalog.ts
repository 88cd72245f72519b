import type pg from 'pg';

/** The tenant column every importable table has; its value comes from --tenant, never the file. */
export const TENANT_COLUMN = 'tenant_id';

export interface Column {
  name: string;
  /** As PostgreSQL prints it, e.g. `numeric(12,2)`, `timestamp with time zone`, `character(2)`. */
  type: string;
  /** pg_type.typcategory: N numeric, D date/time, B boolean, S string, … */
  category: string;
  /** The base type's name, e.g. int8, numeric, timestamptz, date, bpchar. */
  baseType: string;
  notNull: boolean;
  /** The default's SQL, e.g. `'unknown'::text` or `now()`; null without one. */
  defaultSql: string | null;
}

export interface CheckConstraint {
  name: string;
  /** The boolean expression, over the table's column names. */
  expression: string;
  columns: string[];
}

export interface ForeignKey {
  name: string;
  columns: string[];
  referencedTable: string;
  referencedColumns: string[];
}

/** One warehouse table as the catalog describes it: what an import must satisfy. */
export interface TableShape {
  name: string;
  columns: Column[];
  primaryKey: string[];
  /** Columns of each UNIQUE constraint (beside the primary key). */
  uniqueKeys: string[][];
  checks: CheckConstraint[];
  foreignKeys: ForeignKey[];
  /** Other tables whose foreign keys point at this one (facts that hang off a customer). */
  referencedBy: string[];
}

/** Tables of the public schema with a tenant column: the ones a tenant's data is imported into. */
export async function importableTables(client: pg.ClientBase): Promise<string[]> {
  const { rows } = await client.query<{ table: string }>(
    `SELECT c.relname AS table FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind = 'r'
       AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = $1 AND NOT a.attisdropped)
     ORDER BY c.relname`,
    [TENANT_COLUMN],
  );
  return rows.map((r) => r.table);
}

/** Reads a table's columns and constraints from PostgreSQL's catalog, so imports follow the migrations. */
export async function readTableShape(client: pg.ClientBase, table: string): Promise<TableShape> {
  const relation = `public.${client.escapeIdentifier(table)}`;
  const columns = await client.query<Column & { attnum: number }>(
    `SELECT a.attnum, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, t.typcategory AS category,
            t.typname AS "baseType", a.attnotnull AS "notNull", pg_get_expr(d.adbin, d.adrelid) AS "defaultSql"
     FROM pg_attribute a
     JOIN pg_type t ON t.oid = a.atttypid
     LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped
     ORDER BY a.attnum`,
    [relation],
  );
  const nameOf = new Map(columns.rows.map((c) => [c.attnum, c.name]));
  const constraints = await client.query<{
    name: string;
    type: string;
    definition: string;
    columns: number[];
    referencedTable: string | null;
    referencedColumns: string[] | null;
  }>(
    `SELECT con.conname AS name, con.contype AS type, pg_get_constraintdef(con.oid) AS definition, con.conkey AS columns,
            ref.relname AS "referencedTable",
            (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(con.confkey) WITH ORDINALITY k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum) AS "referencedColumns"
     FROM pg_constraint con LEFT JOIN pg_class ref ON ref.oid = con.confrelid
     WHERE con.conrelid = $1::regclass AND con.contype IN ('p', 'u', 'c', 'f')
     ORDER BY con.conname`,
    [relation],
  );
  const names = (attnums: number[]) => attnums.map((n) => nameOf.get(n)!);
  const referencedBy = await client.query<{ table: string }>(
    `SELECT DISTINCT c.relname AS table FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
     WHERE con.confrelid = $1::regclass AND con.contype = 'f' AND con.conrelid <> con.confrelid ORDER BY 1`,
    [relation],
  );
  return {
    name: table,
    columns: columns.rows.map(({ attnum: _attnum, ...column }) => column),
    primaryKey: names(constraints.rows.find((c) => c.type === 'p')?.columns ?? []),
    uniqueKeys: constraints.rows.filter((c) => c.type === 'u').map((c) => names(c.columns)),
    checks: constraints.rows
      .filter((c) => c.type === 'c')
      .map((c) => ({ name: c.name, expression: c.definition.replace(/^CHECK /, ''), columns: names(c.columns) })),
    foreignKeys: constraints.rows
      .filter((c) => c.type === 'f')
      .map((c) => ({
        name: c.name,
        columns: names(c.columns),
        referencedTable: c.referencedTable!,
        referencedColumns: c.referencedColumns!,
      })),
    referencedBy: referencedBy.rows.map((r) => r.table),
  };
}

/** Columns a file must have: NOT NULL without a default (the tenant column comes from --tenant). */
export function requiredColumns(shape: TableShape): Column[] {
  return shape.columns.filter((c) => c.notNull && c.defaultSql === null && c.name !== TENANT_COLUMN);
}
