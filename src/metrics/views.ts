import { METRICS_SCHEMA, metricsViews, type CubeQuery, type MetricsView } from '@engagement/contract';
import type { Knex } from 'knex';
import pg from 'pg';
import { PRE_AGGREGATIONS_SCHEMA } from '../cube/pre-aggregations-schema.js';
import type { CubeClient } from '../cube/client.js';

/**
 * Publishes the `metrics` views (their list is the contract's, shared with the plugin's alert
 * rules). Their SQL is Cube's own (`/v1/sql`), never rewritten by hand, so the views cannot
 * drift from the model.
 */

const shortName = (member: string) => member.split('.')[1]!;

/** The Cube query behind a view. */
export function viewQuery(view: MetricsView, dateRange?: [string, string]): CubeQuery {
  return {
    measures: view.measures,
    dimensions: view.dimensions,
    ...(view.time ? { timeDimensions: [{ ...view.time, ...(view.needsDateRange && dateRange ? { dateRange } : {}) }] } : {}),
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

/** First and last day of the months the warehouse's subscriptions span. */
export async function historyRange(db: Knex): Promise<[string, string]> {
  const { rows } = await db.raw(`SELECT to_char(date_trunc('month', min(started_at) AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS first,
      to_char((date_trunc('month', greatest(max(started_at), max(ended_at)) AT TIME ZONE 'UTC') + interval '1 month - 1 day'), 'YYYY-MM-DD') AS last
    FROM subscriptions`);
  const { first, last } = rows[0] as { first: string | null; last: string | null };
  return first && last ? [first, last] : ['2000-01-01', '2000-01-31'];
}

/** Recreates every view of the `metrics` schema from Cube's SQL (admin token: all tenants). */
export async function refreshMetricsViews(db: Knex, adminClient: CubeClient): Promise<string[]> {
  const range = await historyRange(db);
  const statements = await Promise.all(
    metricsViews.map(async (view) => {
      const {
        sql: [sql, params],
        aliasNameToMember,
      } = await adminClient.sqlWithAliases(viewQuery(view, range));
      // Cube renames rollup tables on every refresh: a view over one would break at the next.
      if (sql.includes(`${PRE_AGGREGATIONS_SCHEMA}.`)) {
        throw new Error(
          `Cube answered ${view.name} from a rollup; publish the views from a Cube serving the model without pre-aggregations.`,
        );
      }
      return { view, sql: viewSql(view, inlineParameters(sql, params), aliasNameToMember) };
    }),
  );
  await db.transaction(async (trx) => {
    await trx.raw(`CREATE SCHEMA IF NOT EXISTS ${METRICS_SCHEMA}`);
    for (const { view, sql } of statements) {
      await trx.raw(`DROP VIEW IF EXISTS ${METRICS_SCHEMA}.${view.name}`);
      await trx.raw(`CREATE VIEW ${METRICS_SCHEMA}.${view.name} AS ${sql}`);
      // COMMENT takes no bind parameters, so the text goes in as an escaped literal.
      const comment = `${view.description} Generated from the Cube model; refresh with \`npm run metrics\`.`;
      await trx.raw(`COMMENT ON VIEW ${METRICS_SCHEMA}.${view.name} IS ${pg.Client.prototype.escapeLiteral(comment)}`);
    }
  });
  return statements.map((s) => `${METRICS_SCHEMA}.${s.view.name}`);
}
