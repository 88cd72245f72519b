/**
 * Writes the app's dashboards (src/dashboards/*.json) from the compact definitions below, so
 * panels share one layout and filter convention. A test fails when the JSON is out of date
 * and checks every member against the Cube model.
 *   npx tsx scripts/dashboards.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrateV1, queryModelSchema, type EditableTarget, type QueryModel } from '@engagement/contract';
import { ALL_VALUE } from '../src/datasource/interpolate';
import { kpiOf, type MemberKpi } from './kpi-windows';

const here = path.dirname(fileURLToPath(import.meta.url));
export const dashboardsDir = path.resolve(here, '../src/dashboards');

export const CUBE_DS_TYPE = 'engagement-cube-datasource';
const ds = { type: CUBE_DS_TYPE, uid: '${datasource}' };

type Target = EditableTarget & { refId: string; datasource: typeof ds };
type Panel = Record<string, unknown>;

/** Filters from dashboard variables: member → variable name. "All" drops the filter (allValue). */
function varFilters(vars: Record<string, string>): QueryModel['filters'] {
  return Object.entries(vars).map(([member, variable]) => ({ member, operator: 'equals', values: [`$${variable}`] }));
}

/**
 * A panel's target, written compactly in the version 1 form and stored as version 2 (Cube's own
 * query) through the contract's one migration, so the boards run as a v1 board migrated on load would.
 */
function target(refId: string, model: Partial<QueryModel>): Target {
  return { refId, datasource: ds, ...migrateV1(queryModelSchema.parse(model)) };
}

class Layout {
  private x = 0;
  private y = 0;
  private rowHeight = 0;
  private id = 1;
  readonly panels: Panel[] = [];

  add(panel: Panel, w: number, h: number): this {
    if (this.x + w > 24) this.row();
    this.panels.push({ id: this.id++, gridPos: { x: this.x, y: this.y, w, h }, datasource: ds, ...panel });
    this.x += w;
    this.rowHeight = Math.max(this.rowHeight, h);
    return this;
  }

  section(title: string): this {
    this.row();
    this.panels.push({ id: this.id++, type: 'row', title, collapsed: false, gridPos: { x: 0, y: this.y, w: 24, h: 1 }, panels: [] });
    this.y += 1;
    return this;
  }

  private row() {
    if (this.x === 0) return;
    this.x = 0;
    this.y += this.rowHeight;
    this.rowHeight = 0;
  }
}

/** A yearly KPI shows the last two full years, whatever the board's range. */
const shownRange: Partial<Record<MemberKpi['grain'], string>> = { year: 'last 2 years' };

/** A KPI's query over the window the model judges it on: its grain, time dimension and fixed filters. */
function kpiTarget(measure: string, filters: QueryModel['filters']): Target {
  const { grain, timeDimension, filters: fixed } = kpiOf(measure);
  const all = [...filters, ...fixed];
  if (grain === 'lifetime' || !timeDimension) return target('A', { measures: [measure], filters: all, format: 'table' });
  const dateRange = shownRange[grain];
  return target('A', {
    measures: [measure],
    timeDimension: { dimension: timeDimension, granularity: grain, ...(dateRange ? { dateRange } : {}) },
    filters: all,
    format: 'time_series',
  });
}

/** A monthly series of the measures on one time dimension: the boards' trend panels. */
function monthlySeries(
  measures: string[],
  dimension: string,
  filters: QueryModel['filters'] = [],
  extra: Partial<QueryModel> = {},
): Target {
  return target('A', { measures, timeDimension: { dimension, granularity: 'month' }, filters, format: 'time_series', ...extra });
}

/** The measures by the dimensions over the board's whole range: the boards' tables. */
function overRange(measures: string[], dimensions: string[], dimension: string, extra: Partial<QueryModel> = {}): Target {
  return target('A', { measures, dimensions, timeDimension: { dimension }, filters: [], format: 'table', ...extra });
}

/** A KPI panel: the query is the KPI's window, the description the model's. */
const kpi = (title: string, measure: string, filters: QueryModel['filters'], layout: 'large' | 'compact' = 'large'): Panel => ({
  type: 'engagement-kpi-panel',
  title,
  description: kpiOf(measure).description,
  targets: [kpiTarget(measure, filters)],
  options: { bandsFrom: 'meta', cutoffs: '', direction: 'higher_is_better', layout, showSparkline: true, showChange: true },
  fieldConfig: { defaults: {}, overrides: [] },
});

const timeseries = (title: string, targets: Target[], description = ''): Panel => ({
  type: 'timeseries',
  title,
  description,
  targets,
  // Threshold areas show the benchmark bands behind the line; the colours come from the data source.
  fieldConfig: { defaults: { custom: { thresholdsStyle: { mode: 'area' }, fillOpacity: 0, lineWidth: 2 } }, overrides: [] },
  options: { legend: { displayMode: 'list', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi', sort: 'none' } },
});

const plainSeries = (title: string, targets: Target[], description = ''): Panel => ({
  ...timeseries(title, targets, description),
  fieldConfig: { defaults: { custom: { fillOpacity: 10, lineWidth: 2 } }, overrides: [] },
});

const stat = (title: string, targets: Target[], description = ''): Panel => ({
  type: 'stat',
  title,
  description,
  targets,
  options: {
    reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
    colorMode: 'background',
    graphMode: 'area',
    textMode: 'value_and_name',
    justifyMode: 'auto',
  },
  fieldConfig: { defaults: {}, overrides: [] },
});

const barGauge = (title: string, targets: Target[], description = ''): Panel => ({
  type: 'bargauge',
  title,
  description,
  targets,
  options: {
    reduceOptions: { calcs: ['lastNotNull'], fields: '', values: true },
    orientation: 'horizontal',
    displayMode: 'lcd',
    showUnfilled: true,
    valueMode: 'color',
  },
  fieldConfig: { defaults: {}, overrides: [] },
});

const table = (title: string, targets: Target[], description = ''): Panel => ({
  type: 'table',
  title,
  description,
  targets,
  options: { showHeader: true, cellHeight: 'sm' },
  fieldConfig: { defaults: { custom: { cellOptions: { type: 'color-text' } } }, overrides: [] },
});

const cohort = (title: string, targets: Target[], description = ''): Panel => ({
  type: 'engagement-cohort-panel',
  title,
  description,
  targets,
  options: { colorMode: 'scale', cohortField: '', periodField: '', valueField: '' },
  fieldConfig: { defaults: {}, overrides: [] },
});

const funnel = (title: string, targets: Target[], description = ''): Panel => ({
  type: 'engagement-funnel-panel',
  title,
  description,
  targets,
  options: { showDropOff: true },
  fieldConfig: { defaults: {}, overrides: [] },
});

interface VariableSpec {
  name: string;
  label: string;
  dimension: string;
}

function dashboard(uid: string, title: string, description: string, variables: VariableSpec[], layout: Layout) {
  return {
    uid,
    title,
    description,
    tags: ['engagement', 'kpi'],
    editable: true,
    graphTooltip: 1,
    schemaVersion: 41,
    version: 1,
    timezone: 'utc',
    time: { from: 'now-12M', to: 'now' },
    refresh: '',
    links: [
      { type: 'dashboards', tags: ['engagement'], asDropdown: true, title: 'Engagement dashboards', includeVars: true, keepTime: true },
    ],
    templating: {
      list: [
        {
          type: 'datasource',
          name: 'datasource',
          label: 'Tenant',
          description: 'One Cube data source per tenant: the token in it decides whose data you see.',
          query: CUBE_DS_TYPE,
          current: {},
          hide: 0,
        },
        ...variables.map((v) => ({
          type: 'query',
          name: v.name,
          label: v.label,
          datasource: ds,
          query: { refId: v.name, dimension: v.dimension, limit: 1000 },
          definition: v.dimension,
          refresh: 1,
          includeAll: true,
          multi: true,
          allValue: ALL_VALUE,
          current: { text: ['All'], value: ['$__all'] },
          sort: 1,
        })),
        { type: 'adhoc', name: 'filters', label: 'Filters', datasource: ds },
      ],
    },
    panels: layout.panels,
  };
}

// ---- Executive engagement overview: customer_health and web_engagement carry plan, segment and channel.
function executive() {
  const health = varFilters({
    'customer_health.segment': 'segment',
    'customer_health.plan': 'plan',
    'customer_health.acquisition_channel': 'channel',
  });
  const web = varFilters({ 'web_engagement.segment': 'segment', 'web_engagement.plan': 'plan', 'web_engagement.channel': 'channel' });
  const layout = new Layout()
    .section('Customer voice')
    .add(kpi('NPS', 'customer_health.nps', health), 8, 8)
    .add(kpi('CSAT', 'customer_health.csat', health), 8, 8)
    .add(kpi('CES', 'customer_health.ces', health), 8, 8)
    .section('Customers')
    .add(kpi('Churn rate (monthly)', 'customer_health.churn_rate', health), 8, 8)
    .add(kpi('Retention rate (annual)', 'customer_health.retention_rate', health), 8, 8)
    .add(kpi('Customer lifetime value', 'customer_health.clv', health), 8, 8)
    .section('Web')
    .add(kpi('Conversion rate', 'web_engagement.conversion_rate', web), 8, 8)
    .add(kpi('Bounce rate', 'web_engagement.bounce_rate', web), 8, 8)
    .add(kpi('Stickiness (DAU ÷ MAU)', 'web_engagement.stickiness', web), 8, 8)
    .section('Trends against the bands')
    .add(
      timeseries('Churn rate by month', [kpiTarget('customer_health.churn_rate', health)], 'The shaded areas are the benchmark bands.'),
      12,
      9,
    )
    .add(timeseries('NPS by month', [kpiTarget('customer_health.nps', health)], 'The shaded areas are the benchmark bands.'), 12, 9);
  return dashboard(
    'engagement-executive',
    'Executive engagement overview',
    'NPS, CSAT, CES, churn, retention, CLV, conversion, bounce and stickiness, each against its benchmark. Channel is the acquisition channel for customer KPIs and the session channel for web KPIs (same vocabulary).',
    [
      { name: 'segment', label: 'Segment', dimension: 'customer_health.segment' },
      { name: 'plan', label: 'Plan', dimension: 'customer_health.plan' },
      { name: 'channel', label: 'Channel', dimension: 'customer_health.acquisition_channel' },
    ],
    layout,
  );
}

// ---- Web engagement
function webEngagement() {
  const f = varFilters({ 'web_engagement.segment': 'segment', 'web_engagement.plan': 'plan', 'web_engagement.channel': 'channel' });
  const layout = new Layout()
    .section('Engagement against benchmarks')
    .add(kpi('Bounce rate', 'web_engagement.bounce_rate', f), 6, 8)
    .add(kpi('Conversion rate', 'web_engagement.conversion_rate', f), 6, 8)
    .add(kpi('Average session duration', 'web_engagement.avg_session_duration', f), 6, 8)
    .add(kpi('Stickiness (DAU ÷ MAU)', 'web_engagement.stickiness', f), 6, 8)
    .section('Traffic')
    .add(
      plainSeries('Sessions by channel', [
        monthlySeries(['web_engagement.sessions'], 'web_engagement.started_at', f, { dimensions: ['web_engagement.channel'] }),
      ]),
      12,
      9,
    )
    .add(
      plainSeries(
        'Active users',
        [
          target('A', {
            measures: ['web_engagement.avg_daily_active_users', 'web_engagement.mau_30d'],
            timeDimension: { dimension: 'web_engagement.started_at', granularity: 'week' },
            filters: f,
            format: 'time_series',
          }),
        ],
        'Average DAU per week, and distinct visitors in the trailing 30 days.',
      ),
      12,
      9,
    )
    .add(
      stat(
        'Pages and visits',
        [
          monthlySeries(
            ['web_engagement.pageviews_per_session', 'web_engagement.sessions_per_visitor', 'web_engagement.referral_share'],
            'web_engagement.started_at',
            f,
          ),
        ],
        'Referral share has no public benchmark.',
      ),
      12,
      6,
    )
    .add(
      barGauge('Bounce rate by device', [
        target('A', {
          measures: ['web_engagement.bounce_rate'],
          dimensions: ['web_engagement.device'],
          timeDimension: { dimension: 'web_engagement.started_at' },
          filters: f,
          format: 'table',
        }),
      ]),
      12,
      6,
    )
    .add(
      table('Top landing pages', [
        target('A', {
          measures: ['web_engagement.sessions', 'web_engagement.bounce_rate', 'web_engagement.conversion_rate'],
          dimensions: ['web_engagement.landing_page'],
          timeDimension: { dimension: 'web_engagement.started_at' },
          filters: f,
          order: [{ member: 'web_engagement.sessions', direction: 'desc' }],
          limit: 20,
          format: 'table',
        }),
      ]),
      24,
      9,
    );
  return dashboard(
    'engagement-web',
    'Web engagement',
    'Traffic, bounce, conversion, session duration and active users by channel and device.',
    [
      { name: 'segment', label: 'Segment', dimension: 'web_engagement.segment' },
      { name: 'plan', label: 'Plan', dimension: 'web_engagement.plan' },
      { name: 'channel', label: 'Channel', dimension: 'web_engagement.channel' },
    ],
    layout,
  );
}

// ---- Customer health & support. Support tickets carry plan and segment; their channel is the ticket's.
function customerHealth() {
  const health = varFilters({
    'customer_health.segment': 'segment',
    'customer_health.plan': 'plan',
    'customer_health.acquisition_channel': 'channel',
  });
  const support = varFilters({ 'support.segment': 'segment', 'support.plan': 'plan' });
  const layout = new Layout()
    .section('Customer health')
    .add(kpi('Churn rate (monthly)', 'customer_health.churn_rate', health, 'compact'), 6, 7)
    .add(kpi('Retention rate (annual)', 'customer_health.retention_rate', health, 'compact'), 6, 7)
    .add(kpi('NPS', 'customer_health.nps', health, 'compact'), 6, 7)
    .add(kpi('CLV (ARPU ÷ churn)', 'customer_health.clv_subscription', health, 'compact'), 6, 7)
    .add(
      cohort(
        'Cohort retention',
        [
          target('A', {
            measures: ['customer_health.cohort_retention_rate'],
            dimensions: ['customer_health.months_since_signup'],
            timeDimension: { dimension: 'customer_health.cohort_month', granularity: 'month' },
            filters: health,
            order: [{ member: 'customer_health.cohort_month', direction: 'asc' }],
            format: 'table',
          }),
        ],
        'Share of each monthly signup cohort (rows) still active N months later (columns), for cohorts in the time range.',
      ),
      14,
      11,
    )
    .add(
      plainSeries('Customers', [
        monthlySeries(
          ['customer_health.customers_at_end', 'customer_health.new_customers', 'customer_health.lost_customers'],
          'customer_health.lifecycle_date',
          health,
        ),
      ]),
      10,
      11,
    )
    .section('Support')
    .add(kpi('First response time', 'support.avg_first_response_hours', support, 'compact'), 8, 7)
    .add(kpi('First-contact resolution', 'support.first_contact_resolution_rate', support, 'compact'), 8, 7)
    .add(kpi('Resolution time', 'support.avg_resolution_hours', support, 'compact'), 8, 7)
    .add(
      plainSeries('Tickets by support channel', [
        monthlySeries(['support.tickets'], 'support.opened_at', support, { dimensions: ['support.channel'] }),
      ]),
      12,
      9,
    )
    .add(
      table('Support by tier', [
        target('A', {
          measures: [
            'support.tickets',
            'support.tickets_resolved',
            'support.avg_first_response_hours',
            'support.first_contact_resolution_rate',
          ],
          dimensions: ['support.tier'],
          timeDimension: { dimension: 'support.opened_at' },
          filters: support,
          order: [{ member: 'support.tier', direction: 'asc' }],
          format: 'table',
        }),
      ]),
      12,
      9,
    );
  return dashboard(
    'engagement-customer-health',
    'Customer health & support',
    'Churn, retention, cohorts, lifetime value, satisfaction and support. Channel is the acquisition channel; support tickets are filtered by plan and segment only.',
    [
      { name: 'segment', label: 'Segment', dimension: 'customer_health.segment' },
      { name: 'plan', label: 'Plan', dimension: 'customer_health.plan' },
      { name: 'channel', label: 'Channel', dimension: 'customer_health.acquisition_channel' },
    ],
    layout,
  );
}

// ---- Marketing & social: campaigns, posts, social accounts and reviews are not per customer, so there is no plan or segment here.
function marketing() {
  const campaigns = varFilters({ 'marketing.channel': 'channel' });
  const layout = new Layout()
    .section('Click-through against benchmarks')
    .add(kpi('Email CTR', 'marketing.email_ctr', campaigns, 'compact'), 6, 7)
    .add(kpi('Search ads CTR', 'marketing.search_ctr', campaigns, 'compact'), 6, 7)
    .add(kpi('Display ads CTR', 'marketing.display_ctr', campaigns, 'compact'), 6, 7)
    .add(kpi('Social engagement rate', 'marketing.engagement_rate', [], 'compact'), 6, 7)
    .section('Campaigns')
    .add(
      plainSeries('Impressions and clicks', [
        monthlySeries(['marketing.impressions', 'marketing.clicks'], 'marketing.campaign_date', campaigns),
      ]),
      12,
      9,
    )
    .add(
      stat('Overall CTR and click conversion', [
        monthlySeries(['marketing.ctr', 'marketing.click_conversion_rate'], 'marketing.campaign_date', campaigns),
      ]),
      12,
      9,
    )
    .add(
      table('Campaigns by CTR', [
        target('A', {
          measures: ['marketing.impressions', 'marketing.clicks', 'marketing.ctr', 'marketing.conversions'],
          dimensions: ['marketing.campaign', 'marketing.channel'],
          timeDimension: { dimension: 'marketing.campaign_date' },
          filters: [...campaigns, { member: 'marketing.impressions', operator: 'gt', values: ['0'] }],
          order: [{ member: 'marketing.ctr', direction: 'desc' }],
          limit: 25,
          format: 'table',
        }),
      ]),
      24,
      9,
    )
    .section('Social')
    .add(
      barGauge('Engagement rate by platform', [
        target('A', {
          measures: ['marketing.engagement_rate'],
          dimensions: ['marketing.platform'],
          timeDimension: { dimension: 'marketing.post_date' },
          format: 'table',
        }),
      ]),
      12,
      8,
    )
    .add(
      plainSeries('Posts by platform', [
        monthlySeries(['marketing.posts'], 'marketing.post_date', [], { dimensions: ['marketing.platform'] }),
      ]),
      12,
      8,
    )
    .add(kpi('Follower growth (monthly)', 'marketing.follower_growth_rate', [], 'compact'), 6, 7)
    .add(kpi('Story completion', 'marketing.story_completion_rate', [], 'compact'), 6, 7)
    .add(kpi('Social response time', 'marketing.avg_social_response_hours', [], 'compact'), 6, 7)
    .add(kpi('Brand mentions', 'marketing.brand_mentions', [], 'compact'), 6, 7)
    .add(kpi('Post click-through', 'marketing.post_ctr', [], 'compact'), 8, 7)
    .add(kpi('Save rate', 'marketing.save_rate', [], 'compact'), 8, 7)
    .add(kpi('Social click conversion', 'marketing.social_conversion_rate', [], 'compact'), 8, 7)
    .add(
      plainSeries(
        'Net new followers by platform',
        [monthlySeries(['marketing.net_new_followers'], 'marketing.social_date', [], { dimensions: ['marketing.account_platform'] })],
        'Followers at each month end less followers a month before, per account.',
      ),
      8,
      8,
    )
    .add(
      stat(
        'Clicks, saves and conversions from social',
        [monthlySeries(['marketing.post_clicks', 'marketing.saves', 'marketing.social_conversions'], 'marketing.post_date', [])],
        "Post link clicks, saves, and the conversions the source attributes to the posts' clicks.",
      ),
      8,
      8,
    )
    .add(
      plainSeries(
        'Social inbox',
        [monthlySeries(['marketing.messages_received', 'marketing.messages_answered'], 'marketing.social_date', [])],
        'Messages and comments asking for a reply, and those the brand answered.',
      ),
      8,
      8,
    )
    .section('Reviews and ratings')
    .add(kpi('Average rating', 'marketing.average_rating', [], 'compact'), 8, 7)
    .add(kpi('Share of 4–5-star reviews', 'marketing.positive_review_share', [], 'compact'), 8, 7)
    .add(kpi('Reviews', 'marketing.reviews', [], 'compact'), 8, 7)
    .add(
      barGauge('Reviews by rating', [
        overRange(['marketing.reviews'], ['marketing.rating'], 'marketing.review_date', {
          order: [{ member: 'marketing.rating', direction: 'desc' }],
        }),
      ]),
      12,
      8,
    )
    .add(
      table('Reviews by site', [
        overRange(
          ['marketing.reviews', 'marketing.average_rating', 'marketing.positive_review_share'],
          ['marketing.review_site'],
          'marketing.review_date',
          { order: [{ member: 'marketing.reviews', direction: 'desc' }] },
        ),
      ]),
      12,
      8,
    );
  return dashboard(
    'engagement-marketing',
    'Marketing & social',
    'Campaign reach and click-through by channel; social engagement, followers, stories, the social inbox and clicks by platform; reviews and ratings. Campaigns, posts and reviews are not per customer, so plan and segment do not apply here.',
    [{ name: 'channel', label: 'Channel', dimension: 'marketing.channel' }],
    layout,
  );
}

// ---- Customer segments & risk: RFM segments, health, predictions and churn risk. Each is per
// customer and month (or per latest fit), so the board's range picks the months.
function segmentsAndRisk() {
  const forecastTriangle = (measure: string) =>
    target('A', {
      measures: [measure],
      dimensions: ['cohort_retention_forecast.months_since_start'],
      timeDimension: { dimension: 'cohort_retention_forecast.cohort_month', granularity: 'month' },
      filters: [],
      order: [{ member: 'cohort_retention_forecast.cohort_month', direction: 'asc' }],
      format: 'table',
    });
  const layout = new Layout()
    .section('RFM segments')
    .add(
      plainSeries(
        'Customers by segment',
        [monthlySeries(['customer_segments.customers'], 'customer_segments.month', [], { dimensions: ['customer_segments.segment'] })],
        'Customers in each RFM segment at each month end: recency, frequency and spend over 12 months, as quintiles within the tenant.',
      ),
      14,
      9,
    )
    .add(
      barGauge(
        'Churn the month after, by segment',
        [overRange(['customer_segments.next_month_churn_rate'], ['customer_segments.segment'], 'customer_segments.month')],
        "Of the subscribers in a segment at a month end, the share whose subscriptions ended in the next month, over the board's months.",
      ),
      10,
      9,
    )
    .add(
      table(
        'Movement between segments',
        [
          overRange(
            ['customer_segment_flows.moved_customers'],
            ['customer_segment_flows.from_segment', 'customer_segment_flows.to_segment'],
            'customer_segment_flows.month',
            {
              filters: [{ member: 'customer_segment_flows.moved_customers', operator: 'gt', values: ['0'] }],
              order: [{ member: 'customer_segment_flows.moved_customers', direction: 'desc' }],
              limit: 30,
            },
          ),
        ],
        "Customers who changed segment from one month end to the next, over the board's months (None: a first purchase).",
      ),
      24,
      9,
    )
    .section('Health')
    .add(kpi('Average health score', 'customer_health_scores.average_health_score', [], 'compact'), 8, 8)
    .add(
      plainSeries(
        'Customers by health band',
        [
          monthlySeries(['customer_health_scores.customers'], 'customer_health_scores.month', [], {
            dimensions: ['customer_health_scores.health_band'],
          }),
        ],
        'healthy ≥ 70, neutral 40–69, at risk < 40: a documented heuristic of recency, frequency, trend, NPS/CSAT and open tickets.',
      ),
      8,
      8,
    )
    .add(
      barGauge(
        'Churn the month after, by health band',
        [
          overRange(
            ['customer_health_scores.next_month_churn_rate'],
            ['customer_health_scores.health_band'],
            'customer_health_scores.month',
          ),
        ],
        'Whether low health came before churn, on this tenant’s own months.',
      ),
      8,
      8,
    )
    .section('Predictions')
    .add(
      stat(
        'Predicted lifetime value',
        [
          target('A', {
            measures: [
              'customer_predictions.average_clv_12m',
              'customer_predictions.average_clv_3y',
              'customer_predictions.likely_alive_share',
            ],
            filters: [],
            format: 'table',
          }),
        ],
        'BG/NBD and Gamma-Gamma, fitted by npm run predict on the tenant’s purchases: average CLV over 12 months and 3 years, and the share of customers likely still customers.',
      ),
      12,
      7,
    )
    .add(
      stat(
        'Churn risk',
        [
          target('A', {
            measures: ['churn_risk.customers_at_risk', 'churn_risk.revenue_at_risk', 'churn_risk.average_risk'],
            filters: [],
            format: 'table',
          }),
        ],
        'A logistic regression on the tenant’s own history (npm run predict): customers at risk, the MRR expected to be lost next month (MRR × risk), and the average risk.',
      ),
      12,
      7,
    )
    .add(
      cohort(
        'Projected retention (sBG)',
        [forecastTriangle('cohort_retention_forecast.projected_retention')],
        "The sBG model's share of each monthly cohort of first subscriptions still subscribed N months on: the observed months, then the model's projection.",
      ),
      12,
      10,
    )
    .add(
      cohort(
        'Actual retention',
        [forecastTriangle('cohort_retention_forecast.actual_retention')],
        'The same cohorts as observed, to set beside the projection.',
      ),
      12,
      10,
    )
    .add(
      table(
        'At-risk customers',
        [
          target('A', {
            measures: ['churn_risk.revenue_at_risk'],
            dimensions: [
              'churn_risk.customer_id',
              'churn_risk.mrr',
              'churn_risk.risk',
              'churn_risk.reasons',
              'churn_risk.last_activity_day',
            ],
            filters: [{ member: 'churn_risk.at_risk', operator: 'equals', values: ['true'] }],
            order: [{ member: 'churn_risk.revenue_at_risk', direction: 'desc' }],
            limit: 50,
            format: 'table',
          }),
        ],
        'Customers whose risk is at least twice the tenant’s average monthly churn, by the MRR expected to be lost, with the three reasons that raise it most.',
      ),
      24,
      10,
    );
  return dashboard(
    'engagement-segments-risk',
    'Customer segments & risk',
    'RFM segments and how customers move between them, the health score and what came after it, predicted lifetime value, projected retention and the customers most at risk.',
    [],
    layout,
  );
}

// ---- Customer journey: the funnel cubes, carts and usage retention, queried directly (no view);
// each query is one the journey rollups answer. Funnels count persons by the time they entered.
function journey() {
  const funnelQuery = (cube: string, extra: string[] = []) =>
    target('A', {
      measures: ['persons', 'step_conversion_rate', 'overall_conversion_rate', 'drop_off'].map((m) => `${cube}.${m}`),
      dimensions: [`${cube}.step_number`, `${cube}.step`, ...extra],
      timeDimension: { dimension: `${cube}.entered_at` },
      filters: [],
      format: 'table',
    });
  const layout = new Layout()
    .section('Purchase funnel')
    .add(
      funnel(
        'Purchase funnel',
        [funnelQuery('purchase_funnel')],
        "Persons who viewed a product in the board's range, and how many of them went on, in order, within the window to each step.",
      ),
      12,
      10,
    )
    .add(
      funnel(
        'Purchase funnel by device',
        [funnelQuery('purchase_funnel', ['purchase_funnel.device'])],
        'The same funnel for each device of the product view that started it.',
      ),
      12,
      10,
    )
    .section('Cart abandonment')
    .add(kpi('Cart abandonment rate', 'carts.cart_abandonment_rate', []), 8, 8)
    .add(
      timeseries(
        'Cart abandonment by month',
        [kpiTarget('carts.cart_abandonment_rate', [])],
        'The shaded areas are the benchmark bands (lower is better).',
      ),
      16,
      8,
    )
    .section('Time to convert and activation')
    .add(
      {
        ...plainSeries(
          'Time to convert, by month',
          [
            target('A', {
              measures: ['purchase_funnel.median_minutes_to_step'],
              // Both step members: the median's rollup answers only its own dimensions, by month.
              dimensions: ['purchase_funnel.step_number', 'purchase_funnel.step'],
              timeDimension: { dimension: 'purchase_funnel.entered_at', granularity: 'month' },
              filters: [],
              format: 'time_series',
            }),
          ],
          'Median minutes from the previous step to each step, among the persons who reached it, by the month they entered the funnel.',
        ),
        fieldConfig: { defaults: { unit: 'm', custom: { fillOpacity: 10, lineWidth: 2 } }, overrides: [] },
      },
      12,
      9,
    )
    .add(
      funnel(
        'Activation funnel',
        [funnelQuery('activation_funnel')],
        "SaaS products: persons who signed up in the board's range, and how many completed onboarding and used a first feature within the window.",
      ),
      12,
      9,
    )
    .section('Product usage')
    .add(
      cohort(
        'Product-usage retention (weekly)',
        [
          target('A', {
            measures: ['usage_retention_weekly.retention_rate'],
            dimensions: ['usage_retention_weekly.periods_since_start'],
            timeDimension: { dimension: 'usage_retention_weekly.cohort_start', granularity: 'week' },
            filters: [{ member: 'usage_retention_weekly.behaviour', operator: 'equals', values: ['first_time'] }],
            format: 'table',
          }),
        ],
        'Of the persons who first used a feature in a week (rows), the share who used one again N weeks later (columns).',
      ),
      24,
      10,
    );
  return dashboard(
    'engagement-journey',
    'Customer journey',
    'Where visitors drop out between product view and purchase, by device; cart abandonment against its benchmark; how long each step takes; SaaS activation; and whether new users keep using the product.',
    [],
    layout,
  );
}

export const dashboards: Record<string, () => unknown> = {
  'executive-overview.json': executive,
  'web-engagement.json': webEngagement,
  'customer-health-support.json': customerHealth,
  'marketing-social.json': marketing,
  'segments-risk.json': segmentsAndRisk,
  'customer-journey.json': journey,
};

export function renderDashboard(file: string): string {
  return `${JSON.stringify(dashboards[file]!(), null, 2)}\n`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  fs.mkdirSync(dashboardsDir, { recursive: true });
  for (const file of Object.keys(dashboards)) fs.writeFileSync(path.join(dashboardsDir, file), renderDashboard(file));
  console.log(`wrote ${Object.keys(dashboards).length} dashboards to ${path.relative(process.cwd(), dashboardsDir)}`);
}
