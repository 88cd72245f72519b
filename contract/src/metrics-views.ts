/**
 * Canonical KPI queries published in the `metrics` schema, for analysts with psql and for
 * Grafana alert rules. The runtime publishes them from Cube's own SQL (src/metrics/views.ts); the
 * plugin's alert rules query the views, so both read this one list. A view with a `series` is a
 * monthly view over the function `metrics.<series>(tenant, from_date, to_date, granularity)`,
 * which answers any range at any granularity.
 */
export interface MetricsView {
  name: string;
  description: string;
  measures: string[];
  dimensions: string[];
  time?: { dimension: string; granularity: 'month' };
  /** The set-returning function behind the view, taking the tenant, range and granularity. */
  series?: string;
}

export const METRICS_SCHEMA = 'metrics';

export const metricsViews: MetricsView[] = [
  {
    name: 'survey_kpis_monthly',
    series: 'survey_kpis',
    description: 'NPS, CSAT and CES per tenant and month.',
    measures: [
      'survey_responses.nps',
      'survey_responses.csat',
      'survey_responses.ces',
      'survey_responses.nps_responses',
      'survey_responses.csat_responses',
      'survey_responses.ces_responses',
    ],
    dimensions: ['survey_responses.tenant_id'],
    time: { dimension: 'survey_responses.responded_at', granularity: 'month' },
  },
  {
    name: 'survey_kpis_monthly_by_plan',
    series: 'survey_kpis_by_plan',
    description: 'NPS, CSAT and CES per tenant, plan and month.',
    measures: ['customer_health.nps', 'customer_health.csat', 'customer_health.ces'],
    dimensions: ['customer_health.tenant_id', 'customer_health.plan'],
    time: { dimension: 'customer_health.survey_date', granularity: 'month' },
  },
  {
    name: 'customer_kpis_monthly',
    series: 'customer_kpis',
    description: 'Customers at start and end, new, lost, churn and retention per tenant and month.',
    measures: [
      'customer_lifecycle.churn_rate',
      'customer_lifecycle.retention_rate',
      'customer_lifecycle.customers_at_start',
      'customer_lifecycle.customers_at_end',
      'customer_lifecycle.new_customers',
      'customer_lifecycle.lost_customers',
    ],
    dimensions: ['customer_lifecycle.tenant_id'],
    time: { dimension: 'customer_lifecycle.date', granularity: 'month' },
  },
  {
    name: 'customer_kpis_monthly_by_plan',
    series: 'customer_kpis_by_plan',
    description: 'Churn and retention per tenant, plan and month.',
    measures: [
      'customer_health.churn_rate',
      'customer_health.retention_rate',
      'customer_health.customers_at_start',
      'customer_health.lost_customers',
    ],
    dimensions: ['customer_health.tenant_id', 'customer_health.plan'],
    time: { dimension: 'customer_health.lifecycle_date', granularity: 'month' },
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
    measures: [
      'customer_health.clv',
      'customer_health.clv_subscription',
      'customer_health.average_purchase_value',
      'customer_health.purchase_frequency',
      'customer_health.expected_lifespan_years',
    ],
    dimensions: ['customer_health.tenant_id', 'customer_health.plan'],
  },
  {
    name: 'web_kpis_monthly',
    series: 'web_kpis',
    description: 'Sessions, bounce, conversion, duration, referral share and active users per tenant and month.',
    measures: [
      'web_sessions.sessions',
      'web_sessions.bounce_rate',
      'web_sessions.conversion_rate',
      'web_sessions.avg_session_duration',
      'web_sessions.referral_share',
      'web_sessions.active_users',
      'web_sessions.avg_daily_active_users',
      'web_sessions.stickiness',
    ],
    dimensions: ['web_sessions.tenant_id'],
    time: { dimension: 'web_sessions.started_at', granularity: 'month' },
  },
  {
    name: 'web_kpis_monthly_by_channel',
    series: 'web_kpis_by_channel',
    description: 'Sessions, bounce and conversion per tenant, channel and month.',
    measures: ['web_sessions.sessions', 'web_sessions.bounce_rate', 'web_sessions.conversion_rate', 'web_sessions.avg_session_duration'],
    dimensions: ['web_sessions.tenant_id', 'web_sessions.channel'],
    time: { dimension: 'web_sessions.started_at', granularity: 'month' },
  },
  {
    name: 'support_kpis_monthly',
    series: 'support_kpis',
    description: 'Tickets, response and resolution times, first-contact resolution per tenant and month.',
    measures: [
      'support_tickets.tickets',
      'support_tickets.avg_first_response_hours',
      'support_tickets.avg_resolution_hours',
      'support_tickets.first_contact_resolution_rate',
    ],
    dimensions: ['support_tickets.tenant_id'],
    time: { dimension: 'support_tickets.opened_at', granularity: 'month' },
  },
  {
    name: 'marketing_kpis_monthly',
    series: 'marketing_kpis',
    description: 'Impressions, clicks and click-through rates per tenant and month.',
    measures: [
      'campaign_stats.impressions',
      'campaign_stats.clicks',
      'campaign_stats.ctr',
      'campaign_stats.email_ctr',
      'campaign_stats.search_ctr',
      'campaign_stats.display_ctr',
    ],
    dimensions: ['campaign_stats.tenant_id'],
    time: { dimension: 'campaign_stats.day', granularity: 'month' },
  },
  {
    name: 'social_kpis_monthly_by_platform',
    series: 'social_kpis_by_platform',
    description: 'Posts and engagement rate per tenant, platform and month.',
    measures: ['social_posts.posts', 'social_posts.engagement_rate'],
    dimensions: ['social_posts.tenant_id', 'social_posts.platform'],
    time: { dimension: 'social_posts.posted_at', granularity: 'month' },
  },
];
