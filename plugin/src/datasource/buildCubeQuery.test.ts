import { describe, expect, it } from 'vitest';
import { buildCubeQuery, membersOf } from './buildCubeQuery';
import { parseQueryModel } from './types';

const range = { from: new Date('2025-01-01T00:00:00Z'), to: new Date('2025-06-30T23:59:59.999Z') };

describe('buildCubeQuery', () => {
  it('turns the dashboard range into the time dimension’s dateRange, in UTC', () => {
    const model = parseQueryModel({
      measures: ['web_engagement.bounce_rate'],
      dimensions: ['web_engagement.channel'],
      timeDimension: { dimension: 'web_engagement.started_at', granularity: 'month' },
    });
    expect(buildCubeQuery(model, { range })).toEqual({
      timezone: 'UTC',
      measures: ['web_engagement.bounce_rate'],
      dimensions: ['web_engagement.channel'],
      timeDimensions: [
        { dimension: 'web_engagement.started_at', granularity: 'month', dateRange: ['2025-01-01T00:00:00.000', '2025-06-30T23:59:59.999'] },
      ],
    });
  });

  it('widens the dashboard range to whole periods of the granularity, or whole days without one', () => {
    const now = { from: new Date('2025-11-23T14:05:12.345Z'), to: new Date('2026-11-23T14:05:12.345Z') };
    const monthly = buildCubeQuery(parseQueryModel({ measures: ['m.x'], timeDimension: { dimension: 'm.at', granularity: 'month' } }), {
      range: now,
    });
    expect(monthly.timeDimensions?.[0]?.dateRange).toEqual(['2025-11-01T00:00:00.000', '2026-11-30T23:59:59.999']);
    const total = buildCubeQuery(parseQueryModel({ measures: ['m.x'], timeDimension: { dimension: 'm.at' } }), { range: now });
    expect(total.timeDimensions?.[0]?.dateRange).toEqual(['2025-11-23T00:00:00.000', '2026-11-23T23:59:59.999']);
  });

  it('prefers the query’s own relative range, and filters by time without grouping when there is no granularity', () => {
    const own = buildCubeQuery(
      parseQueryModel({ measures: ['m.x'], timeDimension: { dimension: 'm.at', granularity: 'year', dateRange: 'last 2 years' } }),
      { range },
    );
    expect(own.timeDimensions).toEqual([{ dimension: 'm.at', granularity: 'year', dateRange: 'last 2 years' }]);
    const filterOnly = buildCubeQuery(parseQueryModel({ measures: ['m.x'], timeDimension: { dimension: 'm.at' } }), { range });
    expect(filterOnly.timeDimensions?.[0]).not.toHaveProperty('granularity');
    expect(filterOnly.timeDimensions?.[0]?.dateRange).toHaveLength(2);
  });

  it('sends every operator, measure filters included, and leaves out incomplete rows', () => {
    const model = parseQueryModel({
      measures: ['marketing.ctr'],
      filters: [
        { member: 'marketing.channel', operator: 'startsWith', values: ['em'] },
        { member: 'marketing.impressions', operator: 'gt', values: ['1000'] },
        { member: 'marketing.campaign', operator: 'set', values: ['ignored'] },
        { member: 'marketing.campaign_date', operator: 'inDateRange', values: ['2025-01-01', '2025-03-31'] },
        { member: 'marketing.campaign_date', operator: 'inDateRange', values: ['2025-01-01'] },
        { member: '', operator: 'equals', values: ['x'] },
        { member: 'marketing.channel', operator: 'equals', values: [] },
      ],
    });
    expect(buildCubeQuery(model).filters).toEqual([
      { member: 'marketing.channel', operator: 'startsWith', values: ['em'] },
      { member: 'marketing.impressions', operator: 'gt', values: ['1000'] },
      { member: 'marketing.campaign', operator: 'set' },
      { member: 'marketing.campaign_date', operator: 'inDateRange', values: ['2025-01-01', '2025-03-31'] },
    ]);
  });

  it('keeps order as ordered pairs, adds segments, limit and extra (ad-hoc) filters', () => {
    const model = parseQueryModel({
      measures: ['support.tickets'],
      dimensions: ['support.tier'],
      segments: ['support.open'],
      order: [
        { member: 'support.tickets', direction: 'desc' },
        { member: 'support.tier', direction: 'asc' },
      ],
      limit: 20,
    });
    const query = buildCubeQuery(model, { extraFilters: [{ member: 'support.plan', operator: 'equals', values: ['pro'] }] });
    expect(query.order).toEqual([
      ['support.tickets', 'desc'],
      ['support.tier', 'asc'],
    ]);
    expect(query.segments).toEqual(['support.open']);
    expect(query.limit).toBe(20);
    expect(query.filters).toEqual([{ member: 'support.plan', operator: 'equals', values: ['pro'] }]);
  });

  it('sends no empty lists', () => {
    expect(buildCubeQuery(parseQueryModel({ measures: ['a.b', ''] }))).toEqual({ timezone: 'UTC', measures: ['a.b'] });
  });

  it('lists every member a query names', () => {
    const model = parseQueryModel({
      measures: ['v.m'],
      dimensions: ['v.d'],
      timeDimension: { dimension: 'v.t' },
      filters: [{ member: 'v.f', operator: 'equals', values: ['1'] }],
      order: [{ member: 'v.m', direction: 'asc' }],
    });
    expect(membersOf(model)).toEqual(['v.m', 'v.d', 'v.t', 'v.f', 'v.m']);
  });
});

describe('parseQueryModel', () => {
  it('fills defaults for a new query and names the field that is wrong', () => {
    expect(parseQueryModel({ refId: 'A' })).toMatchObject({ measures: [], filters: [], format: 'auto' });
    expect(() => parseQueryModel({ filters: [{ member: 'a.b', operator: 'like', values: [] }] })).toThrow(/filters\.0\.operator/);
  });
});
