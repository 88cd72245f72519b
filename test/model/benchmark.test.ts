import { describe, expect, it } from 'vitest';
import { bandOf, benchmarkSchema, hasBands, validateKpiMeta, type BandedBenchmark } from '@engagement/contract';
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
    ['a gap between bands', { ...nps, bands: [nps.bands[0], { ...nps.bands[1]!, from: 5 }, nps.bands[2], nps.bands[3]] }, 'band poor ends at 0 but fair starts at 5'],
    ['a bounded first band', { ...nps, bands: [{ ...nps.bands[0]!, from: -100 }, ...nps.bands.slice(1)] }, 'the first band must start at null'],
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
      { name: 'a.ok', meta: { kpi: true, benchmark: nps } },
      { name: 'a.plain' },
      { name: 'a.missing', meta: { kpi: true } },
    ]);
    expect(messages).toEqual([expect.stringMatching(/^a\.missing: meta\.benchmark: /)]);
  });
});

describe('the model', () => {
  it('gives every KPI a valid benchmark or an explicit "none"', async () => {
    const measures = readModel().cubeMeasures;
    expect(validateKpiMeta(measures)).toEqual([]);
    const kpis = measures.filter((m) => (m.meta as { kpi?: boolean } | undefined)?.kpi);
    expect(kpis.map((m) => m.name)).toEqual(expect.arrayContaining([
      'survey_responses.nps', 'survey_responses.csat', 'survey_responses.ces', 'customer_lifecycle.churn_rate',
      'customer_lifecycle.retention_rate', 'cohort_retention.cohort_retention_rate', 'customer_value.clv',
      'customer_value.clv_subscription', 'web_sessions.conversion_rate', 'web_sessions.bounce_rate',
      'web_sessions.avg_session_duration', 'web_sessions.stickiness', 'web_sessions.referral_share',
      'campaign_stats.email_ctr', 'campaign_stats.search_ctr', 'campaign_stats.display_ctr',
      'social_posts.engagement_rate', 'support_tickets.avg_first_response_hours',
      'support_tickets.avg_resolution_hours', 'support_tickets.first_contact_resolution_rate',
    ]));
    const banded = kpis.filter((m) => hasBands((m.meta as { benchmark: never }).benchmark));
    expect(banded.length).toBeGreaterThanOrEqual(14);
  });
});
