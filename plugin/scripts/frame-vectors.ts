/**
 * contract/vectors/frames.json: what today's TypeScript toDataFrames (with fieldConfig) makes
 * of given /v1/load answers, so the Go backend's conversion is checked against exactly that.
 * tests/frame-vectors.test.ts fails when the file is stale, and writes it afresh with
 *   WRITE_VECTORS=1 npx vitest run --project unit tests/frame-vectors.test.ts     (from plugin/)
 * (it runs under vitest, which loads @grafana/data's ESM build that plain Node cannot).
 * Answers are the captured fixtures of the worked-example tenants plus small hand-made ones for
 * the cases the fixtures lack (strings for numbers, nulls, booleans, malformed and absent benchmarks).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CubeQuery } from '@engagement/contract';
import cohort from '../src/datasource/__fixtures__/load-cohort.json';
import timeseries from '../src/datasource/__fixtures__/load-timeseries.json';
import { toDataFrames, type FrameOptions } from '../src/datasource/toDataFrames';

const here = path.dirname(fileURLToPath(import.meta.url));
export const frameVectorsFile = path.resolve(here, '../../contract/vectors/frames.json');

interface FrameCase {
  name: string;
  query: CubeQuery;
  refId: string;
  format: FrameOptions['format'];
  load: unknown;
}

const webQuery: CubeQuery = {
  measures: ['web_engagement.bounce_rate', 'web_engagement.sessions'],
  dimensions: ['web_engagement.channel'],
  timeDimensions: [
    { dimension: 'web_engagement.started_at', granularity: 'month', dateRange: ['2025-01-01T00:00:00.000', '2025-12-31T23:59:59.999'] },
  ],
  order: [['web_engagement.started_at', 'asc']],
  timezone: 'UTC',
};

const cohortQuery: CubeQuery = {
  measures: ['customer_health.cohort_retention_rate'],
  dimensions: ['customer_health.months_since_signup'],
  timeDimensions: [{ dimension: 'customer_health.cohort_month', granularity: 'month' }],
  timezone: 'UTC',
};

const window = { grain: 'month', time_dimension: 'at' };
const handMade = {
  data: [
    {
      'v.n': '12.5',
      'v.cost': 1200,
      'v.wait_hours': '3',
      'v.flag': true,
      'v.plan': 'pro',
      'v.csat': 90,
      'v.bad': 1,
      'v.t.day': '2025-01-02T00:00:00.000',
    },
    {
      'v.n': null,
      'v.cost': 'n/a',
      'v.wait_hours': 2.25,
      'v.flag': '0',
      'v.plan': 7,
      'v.csat': null,
      'v.bad': 2,
      'v.t.day': '2025-01-03T00:00:00Z',
    },
  ],
  annotation: {
    measures: {
      'v.n': { type: 'number' },
      'v.cost': { title: 'V Cost', type: 'sum', format: 'currency', description: 'What it cost.' },
      'v.wait_hours': {
        shortTitle: 'Wait',
        type: 'avg',
        meta: { kpi: true, benchmark: { none: true, reason: 'no published benchmark applies', window } },
      },
      'v.csat': {
        shortTitle: 'CSAT',
        type: 'number',
        meta: {
          kpi: true,
          benchmark: {
            direction: 'higher_is_better',
            unit: 'percent',
            bands: [
              { label: 'poor', from: null, to: 70 },
              { label: 'good', from: 70, to: 85, note: 'dropped: not in the schema' },
              { label: 'excellent', from: 85, to: null },
            ],
            source: 'a survey of surveys, 2024',
            window,
          },
        },
      },
      'v.bad': {
        shortTitle: 'Bad benchmark',
        type: 'count',
        meta: { kpi: true, benchmark: { direction: 'sideways', unit: 'percent', bands: [], source: 'nowhere at all', window } },
      },
    },
    dimensions: { 'v.flag': { type: 'boolean' }, 'v.plan': { shortTitle: 'Plan', type: 'string', description: 'The plan.' } },
    timeDimensions: { 'v.t.day': { shortTitle: 'Day', type: 'time' } },
  },
};
const handMadeQuery: CubeQuery = {
  measures: ['v.n', 'v.cost', 'v.wait_hours', 'v.csat', 'v.bad'],
  dimensions: ['v.flag', 'v.plan'],
  timeDimensions: [{ dimension: 'v.t', granularity: 'day' }],
};

const cases: FrameCase[] = [
  {
    name: 'web: a table with time, dimension and measures, benchmark thresholds',
    query: webQuery,
    refId: 'A',
    format: 'table',
    load: timeseries.body,
  },
  {
    name: 'web: a time series split by channel, measures labelled',
    query: webQuery,
    refId: 'A',
    format: 'time_series',
    load: timeseries.body,
  },
  { name: 'cohort: the triangle as a long table', query: cohortQuery, refId: 'C', format: 'table', load: cohort.body },
  {
    name: 'hand-made: strings for numbers, nulls, booleans, currency, hours, absent and malformed benchmarks',
    query: handMadeQuery,
    refId: 'H',
    format: 'table',
    load: handMade,
  },
  { name: 'hand-made: a time series split by two dimensions', query: handMadeQuery, refId: 'H', format: 'time_series', load: handMade },
  {
    name: 'an empty answer is one empty series',
    query: webQuery,
    refId: 'E',
    format: 'time_series',
    load: { data: [], annotation: { measures: {}, dimensions: {}, timeDimensions: {} } },
  },
  {
    name: 'no time dimension with a granularity: a table even when a time series was asked for',
    query: { measures: ['v.n'], timeDimensions: [{ dimension: 'v.t', dateRange: 'last week' }] },
    refId: 'N',
    format: 'time_series',
    load: { data: [{ 'v.n': 3 }], annotation: { measures: {}, dimensions: {}, timeDimensions: {} } },
  },
];

/** Each case with the frames TypeScript makes of it, as JSON carries them (-Infinity and NaN become null). */
export function frameVectors(): unknown[] {
  return cases.map((c) => ({
    ...c,
    expect: { frames: JSON.parse(JSON.stringify(toDataFrames(c.load, c.query, { refId: c.refId, format: c.format }))) as unknown },
  }));
}
