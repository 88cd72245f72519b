import { dateTime, FieldType, type DataQueryRequest, type DataSourceInstanceSettings } from '@grafana/data';
import {
  setBackendSrv,
  setTemplateSrv,
  type BackendSrv,
  type BackendSrvRequest,
  type FetchResponse,
  type TemplateSrv,
} from '@grafana/runtime';
import { lastValueFrom, of, throwError } from 'rxjs';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import meta from './__fixtures__/meta.json';
import { CubeDataSource } from './datasource';
import { ALL_VALUE } from './interpolate';
import type { CubeDataSourceOptions, CubeDataQuery } from './types';

// Grafana's own singletons, set the way Grafana sets them: the template service knows $segment
// (two values) and $plan (on "All"); the backend service records what the browser would send.
const variables: Record<string, string[]> = { segment: ['smb', 'enterprise'], plan: [ALL_VALUE] };
setTemplateSrv({
  replace: (text = '', _vars?: unknown, format?: unknown) =>
    text.replace(/\$(\w+)/g, (whole, name: string) => {
      const values = variables[name];
      if (!values) return whole;
      return typeof format === 'function' ? (format as (v: unknown) => string)(values) : values.join(',');
    }),
  getVariables: () => [],
  containsTemplate: () => false,
  updateTimeRange: () => {},
} as unknown as TemplateSrv);

const fetch = vi.fn<(request: BackendSrvRequest) => ReturnType<BackendSrv['fetch']>>();
setBackendSrv({ fetch } as unknown as BackendSrv);
const ok = (data: unknown) => of({ data, status: 200, ok: true } as unknown as FetchResponse);

const settings = {
  id: 1,
  uid: 'cube',
  type: 'engagement-cube-datasource',
  name: 'Cube',
  jsonData: { cubeUrl: 'http://cube:4000' },
  meta: {},
} as unknown as DataSourceInstanceSettings<CubeDataSourceOptions>;

const request = (targets: CubeDataQuery[], extra: Partial<DataQueryRequest<CubeDataQuery>> = {}) =>
  ({
    requestId: 'r',
    targets,
    range: { from: dateTime('2025-01-01T00:00:00Z'), to: dateTime('2025-12-31T23:59:59.999Z'), raw: { from: 'now-1y', to: 'now' } },
    scopedVars: {},
    ...extra,
  }) as unknown as DataQueryRequest<CubeDataQuery>;

const v2 = (cubeQuery: CubeDataQuery['cubeQuery'], extra: Partial<CubeDataQuery> = {}): CubeDataQuery => ({
  refId: 'A',
  version: 2,
  cubeQuery,
  format: 'auto',
  periods: 'complete',
  ...extra,
});

beforeEach(() => fetch.mockReset());

describe('applyTemplateVariables (what the backend receives)', () => {
  const ds = new CubeDataSource(settings);

  it('migrates a version 1 target, expands variables, drops "All" and adds same-view ad-hoc filters', () => {
    const applied = ds.applyTemplateVariables(
      {
        refId: 'A',
        measures: ['web_engagement.bounce_rate'],
        timeDimension: { dimension: 'web_engagement.started_at', granularity: 'month' },
        filters: [
          { member: 'web_engagement.segment', operator: 'equals', values: ['$segment'] },
          { member: 'web_engagement.plan', operator: 'equals', values: ['$plan'] },
        ],
        format: 'time_series',
      },
      {},
      [
        { key: 'web_engagement.device', operator: '=', value: 'desktop' },
        { key: 'marketing.channel', operator: '=', value: 'email' },
        { key: 'web_engagement.channel', operator: '=|', value: '$__all', values: ['$__all'] },
      ],
    );
    expect(applied).toEqual({
      refId: 'A',
      version: 2,
      format: 'time_series',
      periods: 'complete',
      cubeQuery: {
        timezone: 'UTC',
        measures: ['web_engagement.bounce_rate'],
        timeDimensions: [{ dimension: 'web_engagement.started_at', granularity: 'month' }],
        filters: [
          { member: 'web_engagement.segment', operator: 'equals', values: ['smb', 'enterprise'] },
          { member: 'web_engagement.device', operator: 'equals', values: ['desktop'] },
        ],
      },
    });
  });

  it('expands variables inside AND/OR groups and drops a group that "All" empties', () => {
    const applied = ds.applyTemplateVariables(
      v2({
        measures: ['web_engagement.sessions'],
        filters: [
          {
            or: [
              { member: 'web_engagement.segment', operator: 'equals', values: ['$segment'] },
              { member: 'web_engagement.channel', operator: 'set' },
            ],
          },
          { and: [{ member: 'web_engagement.plan', operator: 'equals', values: ['$plan'] }] },
        ],
      }),
      {},
    );
    expect(applied.cubeQuery?.filters).toEqual([
      {
        or: [
          { member: 'web_engagement.segment', operator: 'equals', values: ['smb', 'enterprise'] },
          { member: 'web_engagement.channel', operator: 'set' },
        ],
      },
    ]);
  });

  it('maps a regex ad-hoc filter only where Cube can express it, and names the filter otherwise', () => {
    const apply = (value: string, operator = '=~') =>
      ds.applyTemplateVariables(v2({ measures: ['web_engagement.sessions'] }), {}, [
        { key: 'web_engagement.landing_page', operator, value },
      ]).cubeQuery?.filters;
    expect(apply('^/pricing$')).toEqual([{ member: 'web_engagement.landing_page', operator: 'equals', values: ['/pricing'] }]);
    expect(apply('^/blog')).toEqual([{ member: 'web_engagement.landing_page', operator: 'startsWith', values: ['/blog'] }]);
    expect(apply('\\.html$', '!~')).toEqual([{ member: 'web_engagement.landing_page', operator: 'notEndsWith', values: ['.html'] }]);
    expect(apply('.*pricing.*')).toEqual([{ member: 'web_engagement.landing_page', operator: 'contains', values: ['pricing'] }]);
    expect(apply('^(/a|/b)$')).toEqual([{ member: 'web_engagement.landing_page', operator: 'equals', values: ['/a', '/b'] }]);
    expect(apply('docs|blog', '!~')).toEqual([
      { member: 'web_engagement.landing_page', operator: 'notContains', values: ['docs', 'blog'] },
    ]);
    expect(() => apply('^/p[0-9]+$')).toThrow(
      'Ad-hoc filter "web_engagement.landing_page =~ ^/p[0-9]+$": Cube has no regular expressions; use plain text (contains), ^text (starts with), text$ (ends with) or ^(a|b)$ (equals)',
    );
    expect(() => apply('^/a|/b$')).toThrow('Cube has no regular expressions');
  });
});

describe('query', () => {
  it('posts the applied targets to Grafana’s backend query API and marks string fields filterable', async () => {
    fetch.mockReturnValueOnce(
      ok({
        results: {
          A: {
            frames: [
              {
                schema: {
                  refId: 'A',
                  fields: [
                    { name: 'web_engagement.channel', type: 'string' },
                    { name: 'web_engagement.sessions', type: 'number' },
                  ],
                },
                data: { values: [['email'], [4]] },
              },
            ],
          },
        },
      }),
    );
    const ds = new CubeDataSource(settings);
    const response = await lastValueFrom(
      ds.query(
        request([
          v2({
            measures: ['web_engagement.sessions'],
            dimensions: ['web_engagement.channel'],
            filters: [{ member: 'web_engagement.segment', operator: 'equals', values: ['$segment'] }],
          }),
        ]),
      ),
    );
    const sent = fetch.mock.calls[0]![0];
    expect(sent.url).toMatch(/^\/api\/ds\/query\?ds_type=engagement-cube-datasource/);
    const body = sent.data as { queries: CubeDataQuery[]; from: string; to: string };
    expect(body.from).toBe(String(Date.parse('2025-01-01T00:00:00Z')));
    expect(body.queries[0]).toMatchObject({
      refId: 'A',
      version: 2,
      periods: 'complete',
      cubeQuery: {
        measures: ['web_engagement.sessions'],
        dimensions: ['web_engagement.channel'],
        filters: [{ member: 'web_engagement.segment', operator: 'equals', values: ['smb', 'enterprise'] }],
      },
    });
    const channel = response.data[0].fields[0];
    expect(channel).toMatchObject({ type: FieldType.string, config: { filterable: true } });
    expect(response.data[0].fields[1].config.filterable).toBeUndefined();
  });

  it('names a series of the period to date so in every panel, from the backend’s frame meta', async () => {
    fetch.mockReturnValueOnce(
      ok({
        results: {
          A: {
            frames: [
              {
                schema: {
                  refId: 'A',
                  meta: { custom: { periods: 'to_date', granularity: 'month' } },
                  fields: [
                    { name: 'customer_health.lifecycle_date', type: 'time' },
                    { name: 'customer_health.churn_rate', type: 'number', config: { displayNameFromDS: 'Churn rate' } },
                  ],
                },
                data: { values: [[Date.UTC(2026, 11, 1)], [1.5]] },
              },
            ],
          },
        },
      }),
    );
    const ds = new CubeDataSource(settings);
    const target = v2(
      { measures: ['customer_health.churn_rate'], timeDimensions: [{ dimension: 'customer_health.lifecycle_date', granularity: 'month' }] },
      { periods: 'to_date' },
    );
    const response = await lastValueFrom(ds.query(request([target])));
    expect(response.data[0].fields[1].config.displayNameFromDS).toBe('Churn rate (month to date)');
    expect(response.data[0].fields[0].config.displayNameFromDS).toBeUndefined();
  });

  it('gives a target whose ad-hoc filter Cube cannot express its own error, and still runs the others', async () => {
    fetch.mockReturnValueOnce(ok({ results: { B: { frames: [] } } }));
    const ds = new CubeDataSource(settings);
    const response = await lastValueFrom(
      ds.query(
        request([v2({ measures: ['web_engagement.sessions'] }), v2({ measures: ['marketing.clicks'] }, { refId: 'B' })], {
          filters: [{ key: 'web_engagement.channel', operator: '=~', value: 'e(m|x)ail' }],
        }),
      ),
    );
    expect(response.errors).toEqual([
      { refId: 'A', message: expect.stringMatching(/^Ad-hoc filter "web_engagement.channel =~ e\(m\|x\)ail": Cube has no/) },
    ]);
    expect((fetch.mock.calls[0]![0].data as { queries: CubeDataQuery[] }).queries.map((q) => q.refId)).toEqual(['B']);
  });

  it('skips hidden and empty targets without calling the backend', async () => {
    const ds = new CubeDataSource(settings);
    expect(ds.filterQuery(v2({ measures: ['web_engagement.sessions'] }, { hide: true }))).toBe(false);
    expect(ds.filterQuery({ refId: 'B' })).toBe(false);
    expect(ds.filterQuery({ refId: 'C', measures: ['web_engagement.sessions'] })).toBe(true);
    // A target that cannot be read still runs, so that its error shows on the panel.
    const malformed = { refId: 'D', version: 3 } as unknown as CubeDataQuery;
    expect(ds.filterQuery(malformed)).toBe(true);
  });

  it('reports a target that cannot be read as that target’s error, naming the field', async () => {
    const ds = new CubeDataSource(settings);
    const response = await lastValueFrom(ds.query(request([{ refId: 'D', version: 3, cubeQuery: {} } as unknown as CubeDataQuery])));
    expect(response.errors).toEqual([{ refId: 'D', message: expect.stringContaining('Invalid Cube query: version: expected 2') }]);
    expect(fetch).not.toHaveBeenCalled();
  });
});

describe('resources', () => {
  it('reads the model through the meta resource, and titles ad-hoc keys', async () => {
    fetch.mockReturnValueOnce(ok(meta));
    const ds = new CubeDataSource(settings);
    const keys = await ds.getTagKeys();
    expect(fetch.mock.calls[0]![0]).toMatchObject({ method: 'GET', url: '/api/datasources/uid/cube/resources/meta' });
    expect(keys).toContainEqual({ text: 'Web engagement › Channel', value: 'web_engagement.channel' });
  });

  it('previews the SQL of exactly the target that runs: variables and ad-hoc filters applied', async () => {
    fetch.mockReturnValueOnce(ok({ cubeQuery: {}, sql: 'SELECT 1', params: ['2025-01-01T00:00:00.000Z', 'example_web'] }));
    const ds = new CubeDataSource(settings);
    const range = request([]).range;
    const text = await ds.getSql(
      v2({
        measures: ['web_engagement.bounce_rate'],
        filters: [{ member: 'web_engagement.segment', operator: 'equals', values: ['$segment'] }],
      }),
      range,
      {},
      [{ key: 'web_engagement.device', operator: '!=', value: 'mobile' }],
    );
    const sent = fetch.mock.calls[0]![0];
    expect(sent).toMatchObject({ method: 'POST', url: '/api/datasources/uid/cube/resources/sql' });
    expect(sent.data).toEqual({
      target: ds.applyTemplateVariables(
        v2({
          measures: ['web_engagement.bounce_rate'],
          filters: [{ member: 'web_engagement.segment', operator: 'equals', values: ['$segment'] }],
        }),
        {},
        [{ key: 'web_engagement.device', operator: '!=', value: 'mobile' }],
      ),
      range: { from: '2025-01-01T00:00:00.000Z', to: '2025-12-31T23:59:59.999Z' },
    });
    expect((sent.data as { target: CubeDataQuery }).target.cubeQuery?.filters).toHaveLength(2);
    expect(text).toBe('SELECT 1\n\n-- parameters: $1 = "2025-01-01T00:00:00.000Z", $2 = "example_web"');
  });

  it('lists ad-hoc values within the range on the board’s time dimension of that view and the other filters', async () => {
    fetch.mockReturnValueOnce(ok({ values: ['organic', 'referral'] }));
    const ds = new CubeDataSource(settings);
    const values = await ds.getTagValues({
      key: 'web_engagement.channel',
      filters: [
        { key: 'web_engagement.device', operator: '=', value: 'desktop' },
        { key: 'web_engagement.channel', operator: '=', value: 'email' },
      ],
      timeRange: request([]).range,
      queries: [
        v2({ measures: ['web_engagement.sessions'], timeDimensions: [{ dimension: 'web_engagement.started_at', granularity: 'month' }] }),
      ],
    } as never);
    expect(values).toEqual([{ text: 'organic' }, { text: 'referral' }]);
    expect(fetch.mock.calls[0]![0]).toMatchObject({
      method: 'POST',
      url: '/api/datasources/uid/cube/resources/values',
      data: {
        dimension: 'web_engagement.channel',
        limit: 1000,
        filters: [{ member: 'web_engagement.device', operator: 'equals', values: ['desktop'] }],
        range: { from: '2025-01-01T00:00:00.000Z', to: '2025-12-31T23:59:59.999Z' },
        timeDimension: 'web_engagement.started_at',
      },
    });
  });

  it('reports the backend’s own message when a resource fails', async () => {
    fetch.mockReturnValueOnce(throwError(() => ({ status: 401, data: { message: 'Cube rejected the token (HTTP 401): Invalid token' } })));
    const ds = new CubeDataSource(settings);
    await expect(ds.getCatalog()).rejects.toThrow('Cube rejected the token (HTTP 401): Invalid token');
  });
});

describe('filter for / filter out value', () => {
  const ds = new CubeDataSource(settings);
  const base = v2({ measures: ['web_engagement.sessions'], dimensions: ['web_engagement.channel'] });
  const cell = { key: 'web_engagement.channel', value: 'email' };

  it('adds an equals or notEquals filter, replacing the opposite one (Explore’s modifyQuery)', () => {
    const forValue = ds.modifyQuery(base, { type: 'ADD_FILTER', options: cell });
    expect(forValue.cubeQuery?.filters).toEqual([{ member: 'web_engagement.channel', operator: 'equals', values: ['email'] }]);
    const out = ds.modifyQuery(forValue, { type: 'ADD_FILTER_OUT', options: cell });
    expect(out.cubeQuery?.filters).toEqual([{ member: 'web_engagement.channel', operator: 'notEquals', values: ['email'] }]);
    expect(ds.getSupportedQueryModifications()).toEqual(['ADD_FILTER', 'ADD_FILTER_OUT']);
  });

  it('toggles a filter off when it is already there, and says whether it is', () => {
    const on = ds.toggleQueryFilter(base, { type: 'FILTER_FOR', options: cell });
    expect(ds.queryHasFilter(on, cell)).toBe(true);
    const off = ds.toggleQueryFilter(on, { type: 'FILTER_FOR', options: cell });
    expect(off.cubeQuery?.filters).toBeUndefined();
    expect(ds.queryHasFilter(off, cell)).toBe(false);
  });
});

describe('checkCubeQuery (the editor’s JSON mode)', () => {
  const ds = new CubeDataSource(settings);

  it('accepts a valid query, variables included, and names the field of a wrong one', () => {
    expect(
      ds.checkCubeQuery({ measures: ['a.b'], filters: [{ or: [{ member: 'a.c', operator: 'equals', values: ['$segment'] }] }] }),
    ).toBeUndefined();
    expect(ds.checkCubeQuery({ measures: ['a.b'], filters: [{ or: [{ member: 'a.c', operator: 'like', values: ['x'] }] }] })).toMatch(
      /^Invalid Cube query: filters\.0\.or\.0\.operator: expected one of equals/,
    );
    expect(ds.checkCubeQuery({ measures: ['a.b'], timeDimension: {} })).toBe(
      'Invalid Cube query: (root): Unrecognized key: "timeDimension"',
    );
  });
});
