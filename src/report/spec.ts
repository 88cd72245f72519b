/**
 * Which member answers each KPI in the monthly report, and over which window. This says
 * what to ask Cube for; every formula stays in the model.
 */
export type Window =
  | { kind: 'month' } // the report month
  | { kind: 'trailing_year' } // the 12 months ending with the report month
  | { kind: 'lifetime' } // all history
  | { kind: 'cohort_month_1' }; // month-1 retention of the cohort that signed up the month before

export interface ReportKpi {
  measure: string;
  time?: string;
  window: Window;
  filters?: { member: string; operator: 'equals'; values: string[] }[];
  /** What the filters keep, shown with the period so "no data" explains itself. */
  scope?: string;
}

export const reportKpis: ReportKpi[] = [
  { measure: 'survey_responses.nps', time: 'survey_responses.responded_at', window: { kind: 'month' } },
  { measure: 'survey_responses.csat', time: 'survey_responses.responded_at', window: { kind: 'month' } },
  { measure: 'survey_responses.ces', time: 'survey_responses.responded_at', window: { kind: 'month' } },
  { measure: 'customer_lifecycle.churn_rate', time: 'customer_lifecycle.date', window: { kind: 'month' } },
  { measure: 'customer_lifecycle.retention_rate', time: 'customer_lifecycle.date', window: { kind: 'trailing_year' } },
  { measure: 'cohort_retention.cohort_retention_rate', time: 'cohort_retention.cohort_month', window: { kind: 'cohort_month_1' } },
  { measure: 'customer_value.clv', window: { kind: 'lifetime' } },
  { measure: 'customer_value.clv_subscription', window: { kind: 'lifetime' } },
  { measure: 'web_sessions.conversion_rate', time: 'web_sessions.started_at', window: { kind: 'month' } },
  { measure: 'web_sessions.bounce_rate', time: 'web_sessions.started_at', window: { kind: 'month' } },
  { measure: 'web_sessions.avg_session_duration', time: 'web_sessions.started_at', window: { kind: 'month' } },
  { measure: 'web_sessions.stickiness', time: 'web_sessions.started_at', window: { kind: 'month' } },
  { measure: 'web_sessions.referral_share', time: 'web_sessions.started_at', window: { kind: 'month' } },
  { measure: 'returning_visitors.returning_visitor_share', time: 'returning_visitors.started_at', window: { kind: 'month' } },
  { measure: 'campaign_stats.email_ctr', time: 'campaign_stats.day', window: { kind: 'month' } },
  { measure: 'campaign_stats.search_ctr', time: 'campaign_stats.day', window: { kind: 'month' } },
  { measure: 'campaign_stats.display_ctr', time: 'campaign_stats.day', window: { kind: 'month' } },
  {
    measure: 'social_posts.engagement_rate', time: 'social_posts.posted_at', window: { kind: 'month' },
    filters: [{ member: 'social_posts.platform', operator: 'equals', values: ['instagram'] }],
    scope: 'Instagram',
  },
  { measure: 'support_tickets.avg_first_response_hours', time: 'support_tickets.opened_at', window: { kind: 'month' } },
  { measure: 'support_tickets.avg_resolution_hours', time: 'support_tickets.opened_at', window: { kind: 'month' } },
  { measure: 'support_tickets.first_contact_resolution_rate', time: 'support_tickets.opened_at', window: { kind: 'month' } },
];

/** A month as YYYY-MM → its first and last day, as Cube date strings. */
export function monthRange(month: string, offsetMonths = 0): [string, string] {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const first = new Date(Date.UTC(y, m - 1 + offsetMonths, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0));
  return [first.toISOString().slice(0, 10), last.toISOString().slice(0, 10)];
}

/** The Cube query for one KPI of the report month. */
export function reportQuery(kpi: ReportKpi, month: string): Record<string, unknown> {
  const base = { measures: [kpi.measure], filters: [...(kpi.filters ?? [])] };
  const cube = kpi.measure.split('.')[0]!;
  switch (kpi.window.kind) {
    case 'lifetime':
      return base;
    case 'month':
      return { ...base, timeDimensions: [{ dimension: kpi.time, dateRange: monthRange(month) }] };
    case 'trailing_year':
      return { ...base, timeDimensions: [{ dimension: kpi.time, dateRange: [monthRange(month, -11)[0], monthRange(month)[1]] }] };
    case 'cohort_month_1':
      return {
        ...base,
        filters: [...base.filters, { member: `${cube}.months_since_signup`, operator: 'equals', values: ['1'] }],
        timeDimensions: [{ dimension: kpi.time, dateRange: monthRange(month, -1) }],
      };
  }
}

export function describeWindow(window: Window, month: string): string {
  switch (window.kind) {
    case 'month':
      return month;
    case 'trailing_year':
      return `${monthRange(month, -11)[0].slice(0, 7)}..${month}`;
    case 'lifetime':
      return 'all time';
    case 'cohort_month_1':
      return `${monthRange(month, -1)[0].slice(0, 7)} cohort, month 1`;
  }
}
