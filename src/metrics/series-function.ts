import { METRICS_SCHEMA, type CubeQuery, type MetricsView } from '@engagement/contract';
import type pg from 'pg';
import type { CubeClient } from '../cube/client.js';
import { GRANULARITIES, PLACEHOLDER, SERIES_PARAMETERS, parameterize, periodStarts, type SeriesGranularity } from './series-sql.js';

/**
 * A `metrics` function for one series view: `metrics.<series>(tenant, from_date, to_date,
 * granularity)` returns the view's KPIs for every period of any range, from Cube's own SQL for
 * that granularity with the range as parameters. Periods without rows come with the value the
 * KPI's own SQL gives no rows (0 for a count, null for a rate), so a quiet month is a row.
 */

const shortName = (member: string) => member.split('.')[1]!;
const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The view's Cube query at one granularity, for the placeholder tenant and range. */
function seriesQuery(view: MetricsView, granularity: SeriesGranularity): CubeQuery {
  const tenantMember = view.dimensions.find((d) => d.endsWith('.tenant_id'))!;
  return {
    measures: view.measures,
    dimensions: view.dimensions,
    timeDimensions: [{ dimension: view.time!.dimension, granularity, dateRange: [PLACEHOLDER.from, PLACEHOLDER.to] }],
    filters: [{ member: tenantMember, operator: 'equals', values: [PLACEHOLDER.tenant] }],
  };
}

interface Compiled {
  sql: string;
  /** Column alias in Cube's SQL → member (`cube.time.month` for the time dimension). */
  aliases: Record<string, string>;
}

async function compile(cube: CubeClient, query: CubeQuery, granularity: SeriesGranularity): Promise<Compiled> {
  const {
    sql: [sql, params],
    aliasNameToMember,
  } = await cube.sqlWithAliases(query);
  return { sql: parameterize(sql, params, granularity), aliases: aliasNameToMember };
}

const aliasOf = (compiled: Compiled, member: string) => {
  const found = Object.entries(compiled.aliases).find(([, m]) => m === member);
  if (!found) throw new Error(`Cube's SQL has no column for ${member}`);
  return found[0];
};

/** SELECT over Cube's query: every period of the range, each dimension value Cube found, every measure. */
function filledSeries(view: MetricsView, compiled: Compiled, granularity: SeriesGranularity, columns: Column[]): string {
  const time = ident(aliasOf(compiled, `${view.time!.dimension}.${granularity}`));
  const dims = view.dimensions.filter((d) => !d.endsWith('.tenant_id')).map((d) => ident(aliasOf(compiled, d)));
  const select = columns.map((column) => {
    if (column.kind === 'tenant') return `$1::text`;
    if (column.kind === 'period') return 'p.period';
    const alias = ident(aliasOf(compiled, column.member));
    if (column.kind === 'dimension') return `d.${alias}::${column.type}`;
    return `(CASE WHEN q.${time} IS NULL THEN ${column.empty} ELSE q.${alias} END)::${column.type}`;
  });
  // MATERIALIZED: Cube's query runs once. Inlined, PostgreSQL may run it again for every period
  // it joins (a nested loop with the period as a parameter of the subquery).
  return [
    `WITH q AS MATERIALIZED (${compiled.sql}),`,
    `periods AS (SELECT p AS period FROM ${periodStarts(granularity)} AS p),`,
    `dims AS (${dims.length ? `SELECT DISTINCT ${dims.map((d) => `q.${d}`).join(', ')} FROM q` : 'SELECT 1'})`,
    `SELECT ${select.join(', ')}`,
    'FROM periods p CROSS JOIN dims d',
    `LEFT JOIN q ON q.${time} = p.period${dims.map((d) => ` AND q.${d} IS NOT DISTINCT FROM d.${d}`).join('')}`,
    `ORDER BY p.period${dims.map((d) => `, d.${d}`).join('')}`,
  ].join('\n');
}

type Column =
  | { kind: 'tenant'; name: 'tenant_id'; type: 'text' }
  | { kind: 'period'; name: 'period'; type: 'timestamp' }
  | { kind: 'dimension'; name: string; member: string; type: string }
  | { kind: 'measure'; name: string; member: string; type: string; empty: string };

/** Runs parameterized SQL for the placeholder tenant (which has no rows) over the placeholder range, by month. */
async function runPlaceholder(client: pg.ClientBase, sql: string): Promise<pg.QueryResult> {
  const { rows } = await client.query<Record<string, string>>({
    text: `SELECT ${SERIES_PARAMETERS.map((p, i) => `(${p.sql})::text AS p${i}`).join(', ')}
      FROM (SELECT $1::text AS tenant, $2::date AS first_day, $3::date AS last_day, 'month'::text AS granularity, interval '1 month' AS step) AS args`,
    values: [PLACEHOLDER.tenant, PLACEHOLDER.from, PLACEHOLDER.to],
  });
  // The one-row join gives every parameter a type, as the function's variables do in EXECUTE … USING.
  const typed = SERIES_PARAMETERS.map((p, i) => `$${i + 1}::${p.type}`).join(', ');
  return client.query({
    text: `SELECT q.* FROM (${sql}) AS q CROSS JOIN (SELECT ${typed}) AS parameters`,
    values: SERIES_PARAMETERS.map((_p, i) => rows[0]![`p${i}`]),
  });
}

/** Each column's name, PostgreSQL type and, for a measure, its value over no rows. */
async function columnsOf(client: pg.ClientBase, cube: CubeClient, view: MetricsView, month: Compiled): Promise<Column[]> {
  const { fields } = await runPlaceholder(client, `SELECT * FROM (${month.sql}) AS q LIMIT 0`);
  const { rows: types } = await client.query<{ oid: number; name: string }>(
    'SELECT oid::int AS oid, format_type(oid, NULL) AS name FROM pg_type WHERE oid = ANY($1)',
    [fields.map((f) => f.dataTypeID)],
  );
  const typeOf = (member: string) => {
    const field = fields.find((f) => f.name === aliasOf(month, member))!;
    return types.find((t) => t.oid === field.dataTypeID)!.name;
  };
  // The KPI's own SQL over no rows: Cube's query without dimensions for a tenant that has none.
  const tenantMember = view.dimensions.find((d) => d.endsWith('.tenant_id'))!;
  const empty = await compile(
    cube,
    {
      measures: view.measures,
      timeDimensions: [{ dimension: view.time!.dimension, dateRange: [PLACEHOLDER.from, PLACEHOLDER.to] }],
      filters: [{ member: tenantMember, operator: 'equals', values: [PLACEHOLDER.tenant] }],
    },
    'month',
  );
  const { rows: emptyRows } = await runPlaceholder(client, empty.sql);
  const emptyValue = (member: string) => {
    const value = emptyRows[0]?.[aliasOf(empty, member)];
    return value === null || value === undefined ? 'NULL' : String(Number(value));
  };
  return [
    { kind: 'tenant', name: 'tenant_id', type: 'text' },
    { kind: 'period', name: 'period', type: 'timestamp' },
    ...view.dimensions
      .filter((d) => !d.endsWith('.tenant_id'))
      .map((member) => ({ kind: 'dimension' as const, name: shortName(member), member, type: typeOf(member) })),
    ...view.measures.map((member) => ({
      kind: 'measure' as const,
      name: shortName(member),
      member,
      type: typeOf(member),
      empty: emptyValue(member),
    })),
  ];
}

/** Dollar-quotes SQL for a function body, with a tag the SQL does not contain. */
function quoted(sql: string, tag: string): string {
  if (sql.includes(`$${tag}$`)) throw new Error(`Cube's SQL contains $${tag}$; it cannot be quoted with that tag`);
  return `$${tag}$${sql}$${tag}$`;
}

export interface SeriesFunction {
  name: string;
  columns: { name: string; type: string }[];
  /** CREATE FUNCTION … */
  sql: string;
}

/** The function's definition, from Cube's SQL for each granularity. */
export async function seriesFunction(client: pg.ClientBase, cube: CubeClient, view: MetricsView): Promise<SeriesFunction> {
  const name = view.series!;
  const compiled = new Map<SeriesGranularity, Compiled>();
  for (const granularity of GRANULARITIES) compiled.set(granularity, await compile(cube, seriesQuery(view, granularity), granularity));
  const columns = await columnsOf(client, cube, view, compiled.get('month')!);
  // The first and last day the tenant has rows for, when a bound is left out.
  const tenantMember = view.dimensions.find((d) => d.endsWith('.tenant_id'))!;
  const days = await compile(
    cube,
    {
      dimensions: [tenantMember],
      timeDimensions: [{ dimension: view.time!.dimension, granularity: 'day' }],
      filters: [{ member: tenantMember, operator: 'equals', values: [PLACEHOLDER.tenant] }],
    },
    'day',
  );
  const day = ident(aliasOf(days, `${view.time!.dimension}.day`));
  const span = `SELECT min(s.${day})::date, max(s.${day})::date FROM (${days.sql}) AS s`;
  const fn = `${METRICS_SCHEMA}.${name}`;
  const branches = GRANULARITIES.map(
    (granularity) =>
      `    WHEN '${granularity}' THEN RETURN QUERY EXECUTE ${quoted(filledSeries(view, compiled.get(granularity)!, granularity, columns), 'cube_sql')} USING ${SERIES_PARAMETERS.map((p) => p.name).join(', ')};`,
  );
  const sql = [
    `CREATE FUNCTION ${fn}(tenant text, from_date text DEFAULT NULL, to_date text DEFAULT NULL, granularity text DEFAULT 'month')`,
    `RETURNS TABLE (${columns.map((c) => `${ident(c.name)} ${c.type}`).join(', ')})`,
    'LANGUAGE plpgsql STABLE',
    'SET search_path = public',
    'AS $fn$',
    'DECLARE',
    `  first_day date := ${METRICS_SCHEMA}.date_argument('${name}', 'from_date', from_date);`,
    `  last_day date := ${METRICS_SCHEMA}.date_argument('${name}', 'to_date', to_date);`,
    '  span_first date;',
    '  span_last date;',
    '  step interval;',
    ...SERIES_PARAMETERS.slice(3).map((p) => `  ${p.name} text;`),
    'BEGIN',
    `  IF granularity IS NULL OR granularity NOT IN (${GRANULARITIES.map((g) => `'${g}'`).join(', ')}) THEN`,
    `    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value', MESSAGE = format('${fn}: granularity: expected one of ${GRANULARITIES.join(', ')}, got %L', granularity);`,
    '  END IF;',
    // Row-level security hides other tenants' rows: a tenant role asking for one finds no tenant.
    `  IF tenant IS NULL OR NOT EXISTS (SELECT 1 FROM public.tenants t WHERE t.id = ${name}.tenant) THEN`,
    `    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value', MESSAGE = format('${fn}: tenant: no tenant %L in this warehouse (or not one this role may read)', tenant);`,
    '  END IF;',
    '  IF first_day IS NULL OR last_day IS NULL THEN',
    `    EXECUTE ${quoted(span, 'cube_sql')} INTO span_first, span_last USING tenant;`,
    '    first_day := coalesce(first_day, span_first);',
    '    last_day := coalesce(last_day, span_last);',
    '    IF first_day IS NULL OR last_day IS NULL THEN RETURN; END IF;',
    '  END IF;',
    '  IF last_day < first_day THEN',
    `    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value', MESSAGE = format('${fn}: to_date %s is before from_date %s', last_day, first_day);`,
    '  END IF;',
    `  step := CASE granularity WHEN 'quarter' THEN interval '3 months' ELSE ('1 ' || granularity)::interval END;`,
    ...SERIES_PARAMETERS.slice(3).map((p) => `  ${p.name} := ${p.sql};`),
    '  CASE granularity',
    ...branches,
    '  END CASE;',
    'END',
    '$fn$',
  ].join('\n');
  return { name, columns: columns.map(({ name: column, type }) => ({ name: column, type })), sql };
}

/** Turns a date argument into a date, or stops with a message naming the function and argument. */
export const DATE_ARGUMENT_SQL = `CREATE OR REPLACE FUNCTION ${METRICS_SCHEMA}.date_argument(fn text, arg text, value text) RETURNS date
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  IF value IS NULL THEN RETURN NULL; END IF;
  IF value !~ '^\\d{4}-\\d{2}-\\d{2}$' THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_datetime_format', MESSAGE = format('${METRICS_SCHEMA}.%s: %s: expected a date as YYYY-MM-DD, got %L', fn, arg, value);
  END IF;
  BEGIN
    RETURN value::date;
  EXCEPTION WHEN datetime_field_overflow OR invalid_datetime_format THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_datetime_format', MESSAGE = format('${METRICS_SCHEMA}.%s: %s: %L is not a calendar date', fn, arg, value);
  END;
END
$$`;
