import { METRICS_SCHEMA, metricsViews, type CubeQuery, type MetricsView } from '@engagement/contract';
import type { Knex } from 'knex';
import pg from 'pg';
import { PRE_AGGREGATIONS_SCHEMA } from '../cube/pre-aggregations-schema.js';
import type { CubeClient } from '../cube/client.js';
import { DATE_ARGUMENT_SQL, seriesFunction, type SeriesFunction } from './series-function.js';

/**
 * Publishes the `metrics` functions and views (their list is the contract's, shared with the
 * plugin's alert rules). Their SQL is Cube's own (`/v1/sql`), never rewritten by hand, so they
 * cannot drift from the model.
 */

const shortName = (member: string) => member.split('.')[1]!;

/** The Cube query behind a plain view (one without a series function). */
export function viewQuery(view: MetricsView): CubeQuery {
  return {
    measures: view.measures,
    dimensions: view.dimensions,
    ...(view.time ? { timeDimensions: [view.time] } : {}),
  };
}

/** Cube's SQL with its parameters written in as literals, since a view cannot take parameters. */
export function inlineParameters(sql: string, params: unknown[]): string {
  const escape = pg.Client.prototype.escapeLiteral;
  return sql.replace(/\$(\d+)/g, (_match, index: string) => {
    const value = params[Number(index) - 1];
    if (value === undefined) throw new Error(`Cube's SQL refers to $${index}, which it gave no value for`);
    return escape(String(value));
  });
}

/** `SELECT alias AS short_name, …` over Cube's SQL, so columns read like the model's members. */
export function viewSql(view: MetricsView, cubeSql: string, aliasToMember: Record<string, string>): string {
  const columns = Object.entries(aliasToMember).map(([alias, member]) => {
    const base = member.replace(/\.month$/, '');
    const name = view.time && base === view.time.dimension ? 'month' : shortName(base);
    return `q."${alias}" AS "${name}"`;
  });
  return `SELECT ${columns.join(', ')} FROM (${cubeSql}) AS q`;
}

/** A monthly view over a series function: every tenant this role can read, over all its history. */
function seriesViewSql(series: SeriesFunction): string {
  const columns = series.columns.map(({ name }) => (name === 'period' ? 'f.period AS month' : `f."${name}"`));
  return `SELECT ${columns.join(', ')} FROM public.tenants t CROSS JOIN LATERAL ${METRICS_SCHEMA}.${series.name}(t.id) AS f`;
}

/** Cube renames rollup tables on every refresh: SQL over one would break at the next. */
function assertRawTables(name: string, sql: string): void {
  if (sql.includes(`${PRE_AGGREGATIONS_SCHEMA}.`)) {
    throw new Error(`Cube answered ${name} from a rollup; publish the views from a Cube serving the model without pre-aggregations.`);
  }
}

interface Statement {
  view: MetricsView;
  series?: SeriesFunction;
  viewSql: string;
}

async function statementFor(client: pg.ClientBase, adminClient: CubeClient, view: MetricsView): Promise<Statement> {
  if (view.series) {
    const series = await seriesFunction(client, adminClient, view);
    assertRawTables(view.name, series.sql);
    return { view, series, viewSql: seriesViewSql(series) };
  }
  const {
    sql: [sql, params],
    aliasNameToMember,
  } = await adminClient.sqlWithAliases(viewQuery(view));
  assertRawTables(view.name, sql);
  return { view, viewSql: viewSql(view, inlineParameters(sql, params), aliasNameToMember) };
}

/**
 * Recreates the `metrics` schema from Cube's SQL (admin token: all tenants): the series functions
 * and the views. Views run as the caller (security_invoker), so row-level security shows a
 * tenant role only its own rows, and Cube's roles may read them.
 */
export async function refreshMetricsViews(db: Knex, adminClient: CubeClient): Promise<string[]> {
  await db.raw(`CREATE SCHEMA IF NOT EXISTS ${METRICS_SCHEMA}`);
  await db.raw(DATE_ARGUMENT_SQL);
  const client = (await db.client.acquireConnection()) as pg.ClientBase;
  let statements: Statement[];
  try {
    statements = [];
    for (const view of metricsViews) statements.push(await statementFor(client, adminClient, view));
  } finally {
    await db.client.releaseConnection(client);
  }
  await db.transaction(async (trx) => {
    const { rows } = await trx.raw('SELECT tenancy.role_prefix() AS prefix');
    const { prefix } = (rows as { prefix: string }[])[0]!;
    const roles = `${prefix}_reader, ${prefix}_admin`;
    await trx.raw(`GRANT USAGE ON SCHEMA ${METRICS_SCHEMA} TO ${roles}`);
    for (const { view, series, viewSql: sql } of statements) {
      await trx.raw(`DROP VIEW IF EXISTS ${METRICS_SCHEMA}.${view.name}`);
      if (series) {
        await trx.raw(`DROP FUNCTION IF EXISTS ${METRICS_SCHEMA}.${series.name}(text, text, text, text)`);
        await trx.raw(series.sql);
        const usage = `${view.description} For one tenant: ${METRICS_SCHEMA}.${series.name}(tenant, from_date 'YYYY-MM-DD', to_date, granularity day|week|month|quarter|year).`;
        await trx.raw(
          `COMMENT ON FUNCTION ${METRICS_SCHEMA}.${series.name}(text, text, text, text) IS ${pg.Client.prototype.escapeLiteral(usage)}`,
        );
      }
      await trx.raw(`CREATE VIEW ${METRICS_SCHEMA}.${view.name} WITH (security_invoker = true) AS ${sql}`);
      await trx.raw(`GRANT SELECT ON ${METRICS_SCHEMA}.${view.name} TO ${roles}`);
      // COMMENT takes no bind parameters, so the text goes in as an escaped literal.
      const comment = `${view.description} Generated from the Cube model; refresh with \`npm run metrics\`.`;
      await trx.raw(`COMMENT ON VIEW ${METRICS_SCHEMA}.${view.name} IS ${pg.Client.prototype.escapeLiteral(comment)}`);
    }
  });
  return statements.map((s) => `${METRICS_SCHEMA}.${s.view.name}`);
}
