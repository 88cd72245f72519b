import { describe, expect, it } from 'vitest';
import {
  bandOf,
  benchmarkSchema,
  hasBands,
  validateKpiMeta,
  validateKpiWindows,
  windowFilters,
  type BandedBenchmark,
  type MetaCube,
} from '@engagement/contract';
import { readModel } from '@engagement/contract/node';

const nps: BandedBenchmark = {
  direction: 'higher_is_better',
  unit: 'score',
  bands: [
    { label: 'poor', from: null, to: 0 },
    { label: 'fair', from: 0, to: 20 },
    { label: 'good', from: 20, to: 50 },
    { label: 'excellent', from: 50, to: null },
  ],
  source: 'Bain; CustomerGauge — derived',
};

describe('benchmark schema', () => {
  it('accepts tiled bands in the stated direction', () => {
    expect(benchmarkSchema.parse(nps)).toEqual(nps);
    const churn = {
      ...nps,
      direction: 'lower_is_better',
      bands: [
        { label: 'excellent', from: null, to: 1 },
        { label: 'good', from: 1, to: 2 },
        { label: 'poor', from: 2, to: null },
      ],
    };
    expect(benchmarkSchema.safeParse(churn).success).toBe(true);
  });

  it('accepts an explicit "no benchmark" with its reason', () => {
    expect(benchmarkSchema.safeParse({ none: true, reason: 'No solid public benchmark.' }).success).toBe(true);
  });

  it.each([
    [
      'a gap between bands',
      { ...nps, bands: [nps.bands[0], { ...nps.bands[1]!, from: 5 }, nps.bands[2], nps.bands[3]] },
      'band poor ends at 0 but fair starts at 5',
    ],
    [
      'a bounded first band',
      { ...nps, bands: [{ ...nps.bands[0]!, from: -100 }, ...nps.bands.slice(1)] },
      'the first band must start at null',
    ],
    ['bands against the direction', { ...nps, direction: 'lower_is_better' }, 'bands must run from poor to excellent'],
    ['no source', { ...nps, source: '' }, 'expected the source the bands come from'],
  ])('rejects %s', (_case, benchmark, message) => {
    const result = benchmarkSchema.safeParse(benchmark);
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain(message);
  });

  it('places values in [from, to) bands', () => {
    expect(bandOf(nps, -0.01)?.label).toBe('poor');
    expect(bandOf(nps, 0)?.label).toBe('fair');
    expect(bandOf(nps, 40)?.label).toBe('good');
    expect(bandOf(nps, 50)?.label).toBe('excellent');
    expect(bandOf(nps, Number.NaN)).toBeUndefined();
  });

  it('names the measure and the field of a bad KPI', () => {
    const messages = validateKpiMeta([
      { name: 'a.ok', meta: { kpi: true, benchmark: { ...nps, window: { grain: 'month', time_dimension: 'responded_at' } } } },
      { name: 'a.plain' },
      { name: 'a.missing', meta: { kpi: true } },
    ]);
    expect(messages).toEqual([expect.stringMatching(/^a\.missing: meta\.benchmark: /)]);
  });
});

describe('KPI windows', () => {
  const kpi = (window: unknown, benchmark: object = nps) => [
    { name: 'surveys.nps', meta: { kpi: true, benchmark: { ...benchmark, window } } },
  ];

  it('rejects a KPI without a window, with bands or with none', () => {
    const none = { none: true, reason: 'No solid public benchmark.' };
    expect(
      validateKpiMeta([
        { name: 'a.banded', meta: { kpi: true, benchmark: nps } },
        { name: 'a.none', meta: { kpi: true, benchmark: none } },
      ]),
    ).toEqual([
      'a.banded: meta.benchmark.window: expected the window the KPI is judged on, e.g. { grain: month, time_dimension: started_at }',
      'a.none: meta.benchmark.window: expected the window the KPI is judged on, e.g. { grain: month, time_dimension: started_at }',
    ]);
    expect(validateKpiMeta(kpi({ grain: 'lifetime' }, none))).toEqual([]);
  });

  it('accepts a month, a trailing year, a cohort age, a lifetime and fixed filters', () => {
    for (const window of [
      { grain: 'month', time_dimension: 'responded_at' },
      { grain: 'year', time_dimension: 'date' },
      { grain: 'month', time_dimension: 'cohort_month', cohort_age: { dimension: 'months_since_signup', periods: 1 } },
      { grain: 'lifetime' },
      { grain: 'month', time_dimension: 'posted_at', filters: [{ dimension: 'platform', equals: ['instagram'] }], scope: 'Instagram' },
    ])
      expect(validateKpiMeta(kpi(window)), JSON.stringify(window)).toEqual([]);
  });

  it.each([
    [
      'a period without its time dimension',
      { grain: 'month' },
      'window.time_dimension: a month window needs the time dimension it runs on',
    ],
    [
      'a lifetime on a time dimension',
      { grain: 'lifetime', time_dimension: 'responded_at' },
      'window.grain: a lifetime window has no time dimension or cohort age',
    ],
    ['an unknown grain', { grain: 'fortnight', time_dimension: 'responded_at' }, 'window.grain: Invalid option'],
    [
      'a member of another cube',
      { grain: 'month', time_dimension: 'orders.ordered_at' },
      "window.time_dimension: expected a member of the KPI's own cube",
    ],
    [
      'filters without a scope',
      { grain: 'month', time_dimension: 'posted_at', filters: [{ dimension: 'platform', equals: ['instagram'] }] },
      'window.scope: filters and scope go together',
    ],
    ['an unknown field', { grain: 'month', time_dimension: 'responded_at', periods: 2 }, 'window: Unrecognized key: "periods"'],
  ])('rejects %s', (_case, window, message) => {
    expect(validateKpiMeta(kpi(window)).join('\n')).toContain(`surveys.nps: meta.benchmark.${message}`);
  });

  it("turns a window's fixed filters and cohort age into Cube filters, named as the query names them", () => {
    const window = {
      grain: 'month' as const,
      time_dimension: 'cohort_month',
      cohort_age: { dimension: 'months_since_signup', periods: 1 },
      filters: [{ dimension: 'plan', equals: ['pro'] }],
      scope: 'Pro',
    };
    expect(windowFilters(window, (own) => `health.${own}`)).toEqual([
      { member: 'health.plan', operator: 'equals', values: ['pro'] },
      { member: 'health.months_since_signup', operator: 'equals', values: ['1'] },
    ]);
    expect(windowFilters({ grain: 'lifetime' }, (own) => own)).toEqual([]);
  });

  it("names window members that are not the KPI's cube's own, of the right type", () => {
    const cube = (window: unknown): MetaCube => ({
      name: 'surveys',
      measures: kpi(window).map((measure) => ({ ...measure, type: 'number' })),
      dimensions: [
        { name: 'surveys.responded_at', type: 'time' },
        { name: 'surveys.kind', type: 'string' },
      ],
      segments: [],
    });
    expect(
      validateKpiWindows([
        cube({ grain: 'month', time_dimension: 'responded_at', filters: [{ dimension: 'kind', equals: ['nps'] }], scope: 'NPS answers' }),
      ]),
    ).toEqual([]);
    expect(
      validateKpiWindows([
        cube({ grain: 'month', time_dimension: 'kind', filters: [{ dimension: 'platform', equals: ['x'] }], scope: 'X' }),
      ]),
    ).toEqual([
      'surveys.nps: meta.benchmark.window.time_dimension: surveys has no time dimension kind',
      'surveys.nps: meta.benchmark.window.filters.0.dimension: surveys has no dimension platform',
    ]);
    expect(validateKpiWindows([{ ...cube({ grain: 'month', time_dimension: 'survey_date' }), type: 'view' }])).toEqual([]);
  });
});

describe('the model', () => {
  it('gives every KPI a valid benchmark or an explicit "none"', async () => {
    const measures = readModel().cubeMeasures;
    expect(validateKpiMeta(measures)).toEqual([]);
    const kpis = measures.filter((m) => (m.meta as { kpi?: boolean } | undefined)?.kpi);
    expect(kpis.map((m) => m.name)).toEqual(
      expect.arrayContaining([
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
        'campaign_stats.email_ctr',
        'campaign_stats.search_ctr',
        'campaign_stats.display_ctr',
        'social_posts.engagement_rate',
        'support_tickets.avg_first_response_hours',
        'support_tickets.avg_resolution_hours',
        'support_tickets.first_contact_resolution_rate',
      ]),
    );
    const banded = kpis.filter((m) => hasBands((m.meta as { benchmark: never }).benchmark));
    expect(banded.length).toBeGreaterThanOrEqual(14);
  });
});
