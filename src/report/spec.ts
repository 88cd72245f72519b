import { benchmarkSchema, kpiMetaSchema, windowFilters, type Benchmark, type KpiNeed, type KpiWindow } from '@engagement/contract';

/**
 * The KPIs of the monthly report, in the order it prints them. Which period each one is
 * judged on (grain, time dimension, fixed filters) is the model's: `meta.benchmark.window`.
 */
export const reportMeasures = [
  'survey_responses.nps',
  'survey_responses.csat',
  'survey_responses.ces',
  'customer_lifecycle.churn_rate',
  'customer_lifecycle.retention_rate',
  'cohort_retention.cohort_retention_rate',
  'customer_value.clv',
  'customer_value.clv_subscription',
  'web_sessions.conversion_rate',
  'web_sessions.bounce_rate',
  'web_sessions.avg_session_duration',
  'web_sessions.stickiness',
  'web_sessions.referral_share',
  'returning_visitors.returning_visitor_share',
  'carts.cart_abandonment_rate',
  'campaign_stats.email_ctr',
  'campaign_stats.search_ctr',
  'campaign_stats.display_ctr',
  'social_posts.engagement_rate',
  'social_account_days.story_completion_rate',
  'social_account_days.avg_social_response_hours',
  'reviews.average_rating',
  'support_tickets.avg_first_response_hours',
  'support_tickets.avg_resolution_hours',
  'support_tickets.first_contact_resolution_rate',
];

export interface ReportKpi {
  measure: string;
  window: KpiWindow;
  benchmark: Benchmark;
  /** Data the KPI is built on that a tenant may lack (meta.needs). */
  needs: KpiNeed[];
}

/** A report KPI from its measure's meta, as /v1/meta or the model files give it. */
export function reportKpi(measure: string, meta: unknown): ReportKpi {
  const parsed = kpiMetaSchema.safeParse(meta);
  if (!parsed.success) throw new Error(`${measure}: the model gives it no valid KPI meta (${parsed.error.issues[0]?.message})`);
  // The benchmark without its window, as the report has always printed it.
  return {
    measure,
    window: parsed.data.benchmark.window,
    benchmark: benchmarkSchema.parse(parsed.data.benchmark),
    needs: parsed.data.needs ?? [],
  };
}

const monthsIn = { month: 1, quarter: 3, year: 12 } as const;

/** A month as YYYY-MM → its first and last day, as Cube date strings. */
export function monthRange(month: string, offsetMonths = 0): [string, string] {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const first = new Date(Date.UTC(y, m - 1 + offsetMonths, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0));
  return [first.toISOString().slice(0, 10), last.toISOString().slice(0, 10)];
}

/**
 * The months a window covers for the report month, as offsets from it: one period of the
 * window's grain ending with the report month (a year is the trailing twelve months), or,
 * for a cohort KPI, the cohort that has just reached its age.
 */
function monthOffsets(window: KpiWindow): [number, number] | undefined {
  if (window.grain === 'lifetime') return undefined;
  const months = monthsIn[window.grain];
  const back = window.cohort_age ? window.cohort_age.periods * months : 0;
  return [-back - months + 1, -back];
}

/** The Cube query for one KPI of the report month. */
export function reportQuery(kpi: ReportKpi, month: string): Record<string, unknown> {
  const { window } = kpi;
  const cube = kpi.measure.split('.')[0]!;
  const filters = windowFilters(window, (own) => `${cube}.${own}`);
  const offsets = monthOffsets(window);
  const base = { measures: [kpi.measure], filters };
  if (!offsets) return base;
  return {
    ...base,
    timeDimensions: [
      { dimension: `${cube}.${window.time_dimension}`, dateRange: [monthRange(month, offsets[0])[0], monthRange(month, offsets[1])[1]] },
    ],
  };
}

/** The period a KPI's value covers, in words, with what its filters keep. */
export function describeWindow(window: KpiWindow, month: string): string {
  const offsets = monthOffsets(window);
  const yyyyMm = (offset: number) => monthRange(month, offset)[0].slice(0, 7);
  const period = !offsets
    ? 'all time'
    : window.cohort_age
      ? `${yyyyMm(offsets[1])} cohort, ${window.grain} ${window.cohort_age.periods}`
      : offsets[0] === offsets[1]
        ? month
        : `${yyyyMm(offsets[0])}..${month}`;
  return [period, window.scope].filter(Boolean).join(', ');
}
