import { windowFilters, type CubeQuery } from '@engagement/contract';
import type { ModelKpi } from '@engagement/contract/node';
import type { Knex } from 'knex';
import type { CubeClient } from '../cube/client.js';
import { inlineParameters } from '../metrics/views.js';

/** Table → the columns a KPI reads from it. */
export type Reads = Map<string, Set<string>>;

/** Any year does: a query over one is enough for Cube to write the KPI's whole SQL (rolling windows need a range). */
const SAMPLE_RANGE: [string, string] = ['2025-01-01', '2025-12-31'];

/** The query a KPI is judged on (its window's grain, time dimension and fixed filters), as the report asks it. */
export function kpiQuery(kpi: ModelKpi): CubeQuery {
  const { window } = kpi.meta.benchmark;
  const own = (member: string) => `${kpi.cube}.${member}`;
  const filters = windowFilters(window, own);
  return {
    measures: [kpi.name],
    ...(window.grain !== 'lifetime' && window.time_dimension
      ? { timeDimensions: [{ dimension: own(window.time_dimension), granularity: window.grain, dateRange: SAMPLE_RANGE }] }
      : {}),
    ...(filters.length ? { filters } : {}),
  };
}

/**
 * The tables and columns the KPI's SQL reads: Cube writes the SQL from the model, and PostgreSQL,
 * asked to keep it as a view, records a dependency on every column the query refers to, in any
 * part of it (select lists, filters, joins, CTEs). The view is made in a transaction that is rolled
 * back, so the warehouse is left as it was and the list follows the model with nothing hand-listed.
 */
export async function kpiReads(db: Knex, admin: CubeClient, kpi: ModelKpi): Promise<Reads> {
  const {
    sql: [sql, params],
  } = await admin.sqlWithAliases(kpiQuery(kpi));
  const reads: Reads = new Map();
  const trx = await db.transaction();
  try {
    await trx.raw(`CREATE TEMPORARY VIEW kpi_reads AS ${inlineParameters(sql, params)}`);
    const { rows } = await trx.raw(`
      SELECT DISTINCT t.relname AS table, a.attname AS column
        FROM pg_depend d
        JOIN pg_rewrite r ON r.oid = d.objid AND r.ev_class = 'kpi_reads'::regclass
        JOIN pg_class t ON t.oid = d.refobjid AND t.relnamespace = 'public'::regnamespace
        JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
       WHERE d.classid = 'pg_rewrite'::regclass AND d.refobjsubid > 0`);
    for (const { table, column } of rows as { table: string; column: string }[]) {
      reads.set(table, (reads.get(table) ?? new Set()).add(column));
    }
  } finally {
    await trx.rollback();
  }
  return reads;
}
