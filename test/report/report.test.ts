import { describe, expect, it } from 'vitest';
import { formatInsights, formatReport, formatValue } from '../../src/report/format.js';
import type { Insights } from '../../src/report/insights.js';
import type { KpiResult } from '../../src/report/kpi-report.js';
import { describeWindow, monthRange, reportKpi, reportMeasures, reportQuery } from '../../src/report/spec.js';
import { readModel } from '@engagement/contract/node';

describe('report periods', () => {
  it('turns a month into its first and last day, across year ends and leap years', () => {
    expect(monthRange('2024-02')).toEqual(['2024-02-01', '2024-02-29']);
    expect(monthRange('2026-01', -1)).toEqual(['2025-12-01', '2025-12-31']);
    expect(monthRange('2026-10', -11)).toEqual(['2025-11-01', '2025-11-30']);
  });

  it('asks Cube for the month, the trailing year, all time, or the previous cohort at month 1', async () => {
    const measures = readModel().cubeMeasures;
    const byMeasure = (m: string) => reportKpi(m, measures.find((k) => k.name === m)?.meta);
    expect(reportQuery(byMeasure('survey_responses.nps'), '2026-10')).toEqual({
      measures: ['survey_responses.nps'],
      filters: [],
      timeDimensions: [{ dimension: 'survey_responses.responded_at', dateRange: ['2026-10-01', '2026-10-31'] }],
    });
    expect(reportQuery(byMeasure('customer_lifecycle.retention_rate'), '2026-10').timeDimensions).toEqual([
      { dimension: 'customer_lifecycle.date', dateRange: ['2025-11-01', '2026-10-31'] },
    ]);
    expect(reportQuery(byMeasure('customer_value.clv'), '2026-10')).toEqual({ measures: ['customer_value.clv'], filters: [] });
    expect(reportQuery(byMeasure('cohort_retention.cohort_retention_rate'), '2026-10')).toMatchObject({
      filters: [{ member: 'cohort_retention.months_since_signup', operator: 'equals', values: ['1'] }],
      timeDimensions: [{ dimension: 'cohort_retention.cohort_month', dateRange: ['2026-09-01', '2026-09-30'] }],
    });
    expect(describeWindow(byMeasure('cohort_retention.cohort_retention_rate').window, '2026-10')).toBe('2026-09 cohort, month 1');
    expect(describeWindow(byMeasure('customer_lifecycle.retention_rate').window, '2026-10')).toBe('2025-11..2026-10');
    expect(reportQuery(byMeasure('social_posts.engagement_rate'), '2026-10').filters).toEqual([
      { member: 'social_posts.platform', operator: 'equals', values: ['instagram'] },
    ]);
    expect(describeWindow(byMeasure('social_posts.engagement_rate').window, '2026-10')).toBe('2026-10, Instagram');
  });

  it('covers every KPI of the model that has benchmark bands, with members that exist', async () => {
    const measures = readModel().cubeMeasures;
    const names = new Set(measures.map((m) => m.name));
    for (const measure of reportMeasures) expect(names, measure).toContain(measure);
    const banded = measures.filter((m) => (m.meta as { benchmark?: { bands?: unknown } } | undefined)?.benchmark?.bands);
    expect(reportMeasures).toEqual(expect.arrayContaining(banded.map((m) => m.name)));
  });
});

describe('report formatting', () => {
  const nps: KpiResult = {
    measure: 'survey_responses.nps',
    title: 'Net Promoter Score',
    period: '2026-10',
    value: 31.2,
    unit: 'score',
    band: 'good',
    benchmark: {
      direction: 'higher_is_better',
      unit: 'score',
      bands: [
        { label: 'poor', from: null, to: 20 },
        { label: 'good', from: 20, to: null },
      ],
      source: 'Bain — derived',
    },
  };
  const clv: KpiResult = {
    measure: 'customer_value.clv',
    title: 'Customer lifetime value',
    period: 'all time',
    value: 1234.5,
    unit: 'currency',
    band: null,
    benchmark: { none: true, reason: 'judged against acquisition cost' },
  };

  it('formats values in their unit', () => {
    expect(formatValue(58.333, 'percent')).toBe('58.33%');
    expect(formatValue(1200, 'currency')).toBe('$1,200.00');
    expect(formatValue(123, 'seconds')).toBe('2m 03s');
    expect(formatValue(3.25, 'hours')).toBe('3.3 h');
    expect(formatValue(null, 'percent')).toBe('no data');
    expect(formatValue(Number.NaN, 'score')).toBe('no data');
  });

  it('writes the band as a word and the source, with no colour codes when not on a terminal', () => {
    const text = formatReport([nps, clv], { tenant: 'acme', month: '2026-10', dataThrough: '2026-11-30', colour: false });
    expect(text).toContain('KPI report for tenant acme, 2026-10 (data through 2026-11-30)');
    expect(text).toMatch(/Net Promoter Score\s+2026-10\s+31\.20\s+good\s+Bain — derived/);
    expect(text).toMatch(/Customer lifetime value\s+all time\s+\$1,234\.50\s+no benchmark\s+judged against acquisition cost/);
    expect(text).not.toContain('\u001b[');
  });

  it('lists segments and health bands by size, the predicted CLV and churn risk, and says when they are missing', () => {
    const text = formatInsights(
      {
        segments: [
          { segment: 'Loyal', customers: 2345 },
          { segment: 'Champions', customers: 812 },
        ],
        health: {
          average: 78.2,
          bands: [
            { band: 'healthy', customers: 5754 },
            { band: 'at risk', customers: 31 },
          ],
        },
        predictions: { averageClv12m: 291.5, averageClv3y: 702, likelyAliveShare: 64 },
        churnRisk: { customersAtRisk: 120, revenueAtRisk: 3400, averageRisk: 2.1 },
      },
      '2026-10',
    );
    expect(text.split('\n')).toEqual([
      'Segments (RFM), 2026-10: Loyal 2,345 · Champions 812',
      'Health, 2026-10: average 78.20 · healthy 5,754 · at risk 31',
      'Predictions: CLV $291.50 over 12 months, $702.00 over 3 years · likely alive 64.00%',
      'Churn risk: 120 customers at risk · revenue at risk $3,400.00 a month · average risk 2.10%',
    ]);
    const empty: Insights = {
      segments: [],
      health: { average: null, bands: [] },
      predictions: { averageClv12m: null, averageClv3y: null, likelyAliveShare: null },
      churnRisk: { customersAtRisk: null, revenueAtRisk: null, averageRisk: null },
    };
    const none = formatInsights(empty, '2026-10');
    expect(none).toBe(
      [
        'Segments (RFM), 2026-10: no data',
        'Health, 2026-10: no data',
        'Predictions: no data (npm run predict fits them from orders, once some customer has bought twice)',
        'Churn risk: no data (npm run predict fits it from subscriptions with at least 20 churn events)',
      ].join('\n'),
    );
  });
});
