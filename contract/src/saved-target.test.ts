import { describe, expect, it } from 'vitest';
import { frameFormat, parseSavedTarget, upgradeTarget } from './saved-target.js';

describe('upgradeTarget (stored dashboards migrate on load)', () => {
  it('migrates a version 1 target, keeping Grafana’s own keys and the template variables', () => {
    const v1 = {
      refId: 'A',
      datasource: { type: 'engagement-cube-datasource', uid: '${datasource}' },
      hide: false,
      measures: ['$view.bounce_rate'],
      timeDimension: { dimension: 'web_engagement.started_at', granularity: 'month' },
      filters: [{ member: 'web_engagement.segment', operator: 'equals', values: ['$segment'] }],
      format: 'time_series',
    };
    expect(upgradeTarget(v1)).toEqual({
      refId: 'A',
      datasource: { type: 'engagement-cube-datasource', uid: '${datasource}' },
      hide: false,
      version: 2,
      cubeQuery: {
        timezone: 'UTC',
        measures: ['$view.bounce_rate'],
        timeDimensions: [{ dimension: 'web_engagement.started_at', granularity: 'month' }],
        filters: [{ member: 'web_engagement.segment', operator: 'equals', values: ['$segment'] }],
      },
      format: 'time_series',
      periods: 'complete',
    });
  });

  it('gives a new, empty target a version 2 form, and leaves a version 2 target as it is', () => {
    expect(upgradeTarget({ refId: 'B' })).toEqual({
      refId: 'B',
      version: 2,
      cubeQuery: { timezone: 'UTC' },
      format: 'auto',
      periods: 'complete',
    });
    const v2 = { refId: 'A', version: 2, cubeQuery: { measures: ['$m'] }, format: 'table', periods: 'to_date' } as const;
    expect(upgradeTarget(v2)).toEqual(v2);
  });

  it('names the field of a bad version 1 or version 2 target', () => {
    expect(() => upgradeTarget({ filters: [{ member: 'a.b', operator: 'like', values: [] }] })).toThrow(
      /^Invalid Cube query: filters\.0\.operator: /,
    );
    expect(() => upgradeTarget({ version: 2, cubeQuery: [] })).toThrow('Invalid Cube query: cubeQuery: expected a Cube query object');
    expect(() => parseSavedTarget({ version: 2, cubeQuery: { measures: ['$view.x'] } })).toThrow(
      'Invalid Cube query: cubeQuery.measures.0: expected a member name such as "customers.count"',
    );
  });
});

describe('frameFormat', () => {
  it('makes auto a time series exactly when some time dimension has a granularity', () => {
    const td = (granularity?: 'month') => ({ dimension: 'a.at', ...(granularity ? { granularity } : {}) });
    expect(frameFormat({ format: 'auto', cubeQuery: { timeDimensions: [td(), td('month')] } })).toBe('time_series');
    expect(frameFormat({ format: 'auto', cubeQuery: { timeDimensions: [td()] } })).toBe('table');
    expect(frameFormat({ format: 'table', cubeQuery: { timeDimensions: [td('month')] } })).toBe('table');
  });
});
