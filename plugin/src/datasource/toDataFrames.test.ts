import { FieldColorModeId, FieldType } from '@grafana/data';
import { describe, expect, it } from 'vitest';
import cohort from './__fixtures__/load-cohort.json';
import timeseries from './__fixtures__/load-timeseries.json';
import { toDataFrames } from './toDataFrames';
import type { CubeQuery } from './types';

// Fixtures are answers of the project's Cube 0.35.81 runtime on the worked-example tenants.
const query = timeseries.body.query as unknown as CubeQuery;
const tsQuery: CubeQuery = { ...query, order: [['web_engagement.started_at', 'asc']] };

describe('toDataFrames', () => {
  it('makes one table with time, dimensions and measures in query order, numbers and UTC times parsed', () => {
    const [frame, ...rest] = toDataFrames(timeseries.body, tsQuery, { refId: 'A', format: 'table' });
    expect(rest).toHaveLength(0);
    expect(frame!.fields.map((f) => [f.name, f.type])).toEqual([
      ['web_engagement.started_at', FieldType.time],
      ['web_engagement.channel', FieldType.string],
      ['web_engagement.bounce_rate', FieldType.number],
      ['web_engagement.sessions', FieldType.number],
    ]);
    expect(frame!.fields[0]!.values[0]).toBe(Date.UTC(2025, 5, 1));
    expect(frame!.fields[2]!.values).toEqual([37.5, 50]);
    expect(frame!.length).toBe(2);
  });

  it('sets field config from the measure’s benchmark meta in the annotation', () => {
    const [frame] = toDataFrames(timeseries.body, tsQuery, { refId: 'A', format: 'table' });
    const bounce = frame!.fields.find((f) => f.name === 'web_engagement.bounce_rate')!;
    expect(bounce.config).toMatchObject({
      unit: 'percent',
      decimals: 1,
      min: 0,
      max: 100,
      displayNameFromDS: 'Bounce rate',
      color: { mode: FieldColorModeId.Thresholds },
    });
    expect(bounce.config.thresholds?.steps.map((s) => s.value)).toEqual([-Infinity, 40, 55, 70]);
    const sessions = frame!.fields.find((f) => f.name === 'web_engagement.sessions')!;
    expect(sessions.config).toMatchObject({ unit: 'short', displayNameFromDS: 'Sessions' });
    expect(sessions.config.thresholds).toBeUndefined();
  });

  it('splits a time series by dimension values, labelling the measures', () => {
    const frames = toDataFrames(timeseries.body, tsQuery, { refId: 'A', format: 'time_series' });
    expect(frames.map((f) => f.name)).toEqual(['organic', 'referral']);
    const bounce = frames[1]!.fields[1]!;
    expect(bounce.labels).toEqual({ 'web_engagement.channel': 'referral' });
    expect(bounce.config.displayNameFromDS).toBe('Bounce rate referral');
    expect(frames[1]!.fields[0]!.type).toBe(FieldType.time);
  });

  it('accepts numbers sent as strings and keeps nulls', () => {
    const body = {
      data: [
        { 'v.n': '12.5', 'v.t.day': '2025-01-02T00:00:00.000' },
        { 'v.n': null, 'v.t.day': '2025-01-03T00:00:00.000' },
      ],
      annotation: { measures: { 'v.n': { type: 'number' } }, dimensions: {}, timeDimensions: { 'v.t.day': { type: 'time' } } },
    };
    const [frame] = toDataFrames(
      body,
      { measures: ['v.n'], timeDimensions: [{ dimension: 'v.t', granularity: 'day' }] },
      { refId: 'B', format: 'time_series' },
    );
    expect(frame!.fields[1]!.values).toEqual([12.5, null]);
    expect(frame!.fields[0]!.values).toEqual([Date.UTC(2025, 0, 2), Date.UTC(2025, 0, 3)]);
  });

  it('returns an empty series for an empty answer and names a malformed one', () => {
    const frames = toDataFrames({ data: [], annotation: { measures: {}, dimensions: {}, timeDimensions: {} } }, tsQuery, {
      refId: 'A',
      format: 'time_series',
    });
    expect(frames).toHaveLength(1);
    expect(frames[0]!.length).toBe(0);
    expect(() => toDataFrames({ rows: [] }, tsQuery, { refId: 'A', format: 'table' })).toThrow(/Unexpected \/v1\/load answer/);
  });

  it('gives the cohort triangle as a long table', () => {
    const q: CubeQuery = {
      measures: ['customer_health.cohort_retention_rate'],
      dimensions: ['customer_health.months_since_signup'],
      timeDimensions: [{ dimension: 'customer_health.cohort_month', granularity: 'month' }],
    };
    const [frame] = toDataFrames(cohort.body, q, { refId: 'A', format: 'table' });
    expect(frame!.fields.map((f) => f.type)).toEqual([FieldType.time, FieldType.number, FieldType.number]);
    expect(frame!.fields[2]!.values.slice(0, 3)).toEqual([100, 80, 70]);
  });
});
