import { describe, expect, it } from 'vitest';
import { ALL_VALUE, expandWith, interpolateModel } from './interpolate';
import { parseQueryModel } from './types';

const vars: Record<string, string | string[]> = {
  view: 'web_engagement',
  segment: ['smb', 'enterprise'],
  plan: ALL_VALUE,
  range: 'last 6 months',
};

// A stand-in for templateSrv.replace: $name → the variable, passed through the formatter.
const replace = (text: string, format: (value: unknown) => string) =>
  text.replace(/\$(\w+)/g, (_, name: string) => format(vars[name] ?? `$${name}`));

describe('interpolateModel', () => {
  const model = parseQueryModel({
    measures: ['$view.bounce_rate'],
    timeDimension: { dimension: '$view.started_at', granularity: 'month', dateRange: '$range' },
    filters: [
      { member: '$view.segment', operator: 'equals', values: ['$segment'] },
      { member: '$view.plan', operator: 'equals', values: ['$plan'] },
    ],
    order: [{ member: '$view.bounce_rate', direction: 'desc' }],
  });
  const result = interpolateModel(model, expandWith(replace));

  it('replaces variables in members, ranges and order', () => {
    expect(result.measures).toEqual(['web_engagement.bounce_rate']);
    expect(result.timeDimension).toEqual({ dimension: 'web_engagement.started_at', granularity: 'month', dateRange: 'last 6 months' });
    expect(result.order[0]!.member).toBe('web_engagement.bounce_rate');
  });

  it('expands a multi-value variable into several filter values', () => {
    expect(result.filters[0]).toEqual({ member: 'web_engagement.segment', operator: 'equals', values: ['smb', 'enterprise'] });
  });

  it('drops a filter whose variable is set to All', () => {
    expect(result.filters).toHaveLength(1);
  });
});
