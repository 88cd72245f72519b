import { describe, expect, it } from 'vitest';
import { ALL_VALUE, expandWith, interpolateQuery } from './interpolate';

const vars: Record<string, string | string[]> = {
  view: 'web_engagement',
  segment: ['smb', 'enterprise'],
  plan: ALL_VALUE,
  range: 'last 6 months',
  from: '2025-01-01',
};

// A stand-in for templateSrv.replace: $name → the variable, passed through the formatter.
const replace = (text: string, format: (value: unknown) => string) =>
  text.replace(/\$(\w+)/g, (_, name: string) => format(vars[name] ?? `$${name}`));

describe('interpolateQuery', () => {
  const result = interpolateQuery(
    {
      measures: ['$view.bounce_rate'],
      dimensions: ['$view.channel'],
      timeDimensions: [
        { dimension: '$view.started_at', granularity: 'month', dateRange: '$range' },
        { dimension: '$view.started_at', compareDateRange: ['this year', ['$from', '2025-03-31']] },
      ],
      filters: [
        { member: '$view.segment', operator: 'equals', values: ['$segment'] },
        { dimension: '$view.plan', operator: 'equals', values: ['$plan'] },
        { or: [{ member: '$view.plan', operator: 'equals', values: ['$plan'] }] },
        { member: '$view.sessions', operator: 'gt', values: [10] },
      ],
      order: { '$view.bounce_rate': 'desc' },
      limit: 5,
    },
    expandWith(replace),
  );

  it('replaces variables in members, ranges, compared ranges and order, keeping the rest', () => {
    expect(result.measures).toEqual(['web_engagement.bounce_rate']);
    expect(result.timeDimensions).toEqual([
      { dimension: 'web_engagement.started_at', granularity: 'month', dateRange: 'last 6 months' },
      { dimension: 'web_engagement.started_at', compareDateRange: ['this year', ['2025-01-01', '2025-03-31']] },
    ]);
    expect(result.order).toEqual({ 'web_engagement.bounce_rate': 'desc' });
    expect(result.limit).toBe(5);
  });

  it('expands a multi-value variable into several values, drops "All" (in groups too), keeps numbers', () => {
    expect(result.filters).toEqual([
      { member: 'web_engagement.segment', operator: 'equals', values: ['smb', 'enterprise'] },
      { member: 'web_engagement.sessions', operator: 'gt', values: [10] },
    ]);
  });

  it('leaves no empty filter list behind', () => {
    const none = interpolateQuery(
      { measures: ['a.b'], filters: [{ member: 'a.c', operator: 'equals', values: ['$plan'] }] },
      expandWith(replace),
    );
    expect(none).toEqual({ measures: ['a.b'] });
  });
});
