import type { Knex } from 'knex';
import pg from 'pg';
import { PRE_AGGREGATIONS_SCHEMA } from '../cube/pre-aggregations-schema.js';
import type { CubeClient } from '../report/cube-client.js';

/**
 * Canonical KPI queries published as PostgreSQL views in the `metrics` schema, for analysts
 * with psql and for Grafana alert rules. Their SQL is Cube's own (`/v1/sql`), never rewritten
 * by hand, so the views cannot drift from the model.
 */
export interface MetricsView {
  name: string;
  description: string;
  measures: string[];
  dimensions: string[];
  time?: { dimension: string; granularity: 'month' };
  /** Rolling-window KPIs need a date range: the view then spans the warehouse's history. */
  needsDateRange?: boolean;
}

export const METRICS_SCHEMA = 'metrics';

export const metricsViews: MetricsView[] = [
  {
    name: 'survey_kpis_monthly',
    description: 'NPS, CSAT and CES per tenant and month.',
    measures: ['survey_responses.nps', 'survey_responses.csat', 'survey_responses.ces', 'survey_responses.nps_responses', 'survey_responses.csat_responses', 'survey_responses.ces_responses'],
    dimensions: ['survey_responses.tenant_id'],
    time: { dimension: 'survey_responses.responded_at', granularity: 'month' },
  },
  {
    name: 'survey_kpis_monthly_by_plan',
    description: 'NPS, CSAT and CES per tenant, plan and month.',
    measures: ['customer_health.nps', 'customer_health.csat', 'customer_health.ces'],
    dimensions: ['customer_health.tenant_id', 'customer_health.plan'],
    time: { dimension: 'customer_health.survey_date', granularity: 'month' },
  },
  {
    name: 'customer_kpis_monthly',
    description: 'Customers at start and end, new, lost, churn and retention per tenant and month.',
    measures: ['customer_lifecycle.churn_rate', 'customer_lifecycle.retention_rate', 'customer_lifecycle.customers_at_start', 'customer_lifecycle.customers_at_end', 'customer_lifecycle.new_customers', 'customer_lifecycle.lost_customers'],
    dimensions: ['customer_lifecycle.tenant_id'],
    time: { dimension: 'customer_lifecycle.date', granularity: 'month' },
    needsDateRange: true,
  },
  {
    name: 'customer_kpis_monthly_by_plan',
    description: 'Churn and retention per tenant, plan and month.',
    measures: ['customer_health.churn_rate', 'customer_health.retention_rate', 'customer_health.customers_at_start', 'customer_health.lost_customers'],
    dimensions: ['customer_health.tenant_id', 'customer_health.plan'],
    time: { dimension: 'customer_health.lifecycle_date', granularity: 'month' },
    needsDateRange: true,
  },
  {
    name: 'cohort_retention',
    description: 'Share of each monthly signup cohort still active N months later, per tenant.',
    measures: ['cohort_retention.cohort_retention_rate', 'cohort_retention.cohort_customers'],
    dimensions: ['cohort_retention.tenant_id', 'cohort_retention.months_since_signup'],
    time: { dimension: 'cohort_retention.cohort_month', granularity: 'month' },
  },
  {
    name: 'customer_value_by_plan',
    description: 'Customer lifetime value both ways per tenant and plan.',
    measures: ['customer_health.clv', 'customer_health.clv_subscription', 'customer_health.average_purchase_value', 'customer_health.purchase_frequency', 'customer_health.expected_lifespan_years'],
    dimensions: ['customer_health.tenant_id', 'customer_health.plan'],
  },
  {
    name: 'web_kpis_monthly',
    description: 'Sessions, bounce, conversion, duration, referral share and active users per tenant and month.',
    measures: ['web_sessions.sessions', 'web_sessions.bounce_rate', 'web_sessions.conversion_rate', 'web_sessions.avg_session_duration', 'web_sessions.referral_share', 'web_sessions.active_users', 'web_sessions.avg_daily_active_users', 'web_sessions.stickiness'],
    dimensions: ['web_sessions.tenant_id'],
    time: { dimension: 'web_sessions.started_at', granularity: 'month' },
  },
  {
    name: 'web_kpis_monthly_by_channel',
    description: 'Sessions, bounce and conversion per tenant, channel and month.',
    measures: ['web_sessions.sessions', 'web_sessions.bounce_rate', 'web_sessions.conversion_rate', 'web_sessions.avg_session_duration'],
    dimensions: ['web_sessions.tenant_id', 'web_sessions.channel'],
    time: { dimension: 'web_sessions.started_at', granularity: 'month' },
  },
  {
    name: 'support_kpis_monthly',
    description: 'Tickets, response and resolution times, first-contact resolution per tenant and month.',
    measures: ['support_tickets.tickets', 'support_tickets.avg_first_response_hours', 'support_tickets.avg_resolution_hours', 'support_tickets.first_contact_resolution_rate'],
    dimensions: ['support_tickets.tenant_id'],
    time: { dimension: 'support_tickets.opened_at', granularity: 'month' },
  },
  {
    name: 'marketing_kpis_monthly',
    description: 'Impressions, clicks and click-through rates per tenant and month.',
    measures: ['campaign_stats.impressions', 'campaign_stats.clicks', 'campaign_stats.ctr', 'campaign_stats.email_ctr', 'campaign_stats.search_ctr', 'campaign_stats.display_ctr'],
    dimensions: ['campaign_stats.tenant_id'],
    time: { dimension: 'campaign_stats.day', granularity: 'month' },
  },
  {
    name: 'social_kpis_monthly_by_platform',
    description: 'Posts and engagement rate per tenant, platform and month.',
    measures: ['social_posts.posts', 'social_posts.engagement_rate'],
    dimensions: ['social_posts.tenant_id', 'social_posts.platform'],
    time: { dimension: 'social_posts.posted_at', granularity: 'month' },
  },
];

const shortName = (member: string) => member.split('.')[1]!;

/** The Cube query behind a view. */
export function viewQuery(view: MetricsView, dateRange?: [string, string]): Record<string, unknown> {
  return {
    measures: view.measures,
    dimensions: view.dimensions,
    ...(view.time
      ? { timeDimensions: [{ ...view.time, ...(view.needsDateRange && dateRange ? { dateRange } : {}) }] }
      : {}),
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
      const { sql: [sql, params], aliasNameToMember } = (await adminClient.sqlWithAliases(viewQuery(view, range)));
      // Cube renames rollup tables on every refresh: a view over one would break at the next.
      if (sql.includes(`${PRE_AGGREGATIONS_SCHEMA}.`)) {
        throw new Error(`Cube answered ${view.name} from a rollup; publish the views from a Cube serving the model without pre-aggregations.`);
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
