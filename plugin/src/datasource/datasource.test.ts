import { dateTime, type DataQueryRequest, type DataSourceInstanceSettings } from '@grafana/data';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import meta from './__fixtures__/meta.json';
import sql from './__fixtures__/sql.json';
import timeseries from './__fixtures__/load-timeseries.json';
import values from './__fixtures__/load-values.json';
import type { CubeSend } from './cubeApi';
import { CubeDataSource } from './datasource';
import type { CubeDataSourceOptions, CubeDataQuery } from './types';

// Outside Grafana the runtime's singletons are empty; variables here are $segment only.
vi.mock('@grafana/runtime', () => ({
  getBackendSrv: () => ({ fetch: vi.fn() }),
  isFetchError: () => false,
  getTemplateSrv: () => ({
    replace: (text: string, _vars: unknown, format?: (v: unknown) => string) =>
      text.replace('$segment', format ? format(['smb', 'enterprise']) : 'smb,enterprise'),
  }),
}));

const settings = {
  id: 1,
  uid: 'cube',
  type: 'engagement-cube-datasource',
  name: 'Cube',
  url: '/api/datasources/proxy/uid/cube',
  jsonData: { cubeUrl: 'http://cube:4000' },
  meta: {},
} as unknown as DataSourceInstanceSettings<CubeDataSourceOptions>;

const request = (targets: CubeDataQuery[], extra: Partial<DataQueryRequest<CubeDataQuery>> = {}) =>
  ({
    targets,
    range: { from: dateTime('2025-01-01T00:00:00Z'), to: dateTime('2025-12-31T23:59:59.999Z'), raw: { from: 'now-1y', to: 'now' } },
    scopedVars: {},
    ...extra,
  }) as unknown as DataQueryRequest<CubeDataQuery>;

describe('CubeDataSource', () => {
  let send: ReturnType<typeof vi.fn<CubeSend>>;
  beforeEach(() => {
    send = vi.fn<CubeSend>();
  });

  it('sends the built query with range, variables and same-view ad-hoc filters, and returns frames', async () => {
    send.mockResolvedValue({ status: 200, data: timeseries.body });
    const ds = new CubeDataSource(settings, send);
    const response = await ds.query(
      request(
        [
          {
            refId: 'A',
            measures: ['web_engagement.bounce_rate', 'web_engagement.sessions'],
            dimensions: ['web_engagement.channel'],
            timeDimension: { dimension: 'web_engagement.started_at', granularity: 'month' },
            filters: [{ member: 'web_engagement.segment', operator: 'equals', values: ['$segment'] }],
          },
        ],
        {
          filters: [
            { key: 'web_engagement.device', operator: '=', value: 'desktop' },
            { key: 'marketing.channel', operator: '=', value: 'email' },
          ],
        },
      ),
    );
    const [endpoint, query] = send.mock.calls[0]!;
    expect(endpoint).toBe('load');
    expect(query?.filters).toEqual([
      { member: 'web_engagement.segment', operator: 'equals', values: ['smb', 'enterprise'] },
      { member: 'web_engagement.device', operator: 'equals', values: ['desktop'] },
    ]);
    expect(query?.timeDimensions?.[0]?.dateRange).toEqual(['2025-01-01T00:00:00.000', '2025-12-31T23:59:59.999']);
    expect(response.data).toHaveLength(2);
    expect(response.data[0].meta.executedQueryString).toContain('web_engagement.bounce_rate');
  });

  it('returns Cube’s error as the query’s error and keeps the other queries’ data', async () => {
    send.mockImplementation(async (_e, q) =>
      q?.measures?.[0] === 'web_engagement.nope'
        ? { status: 400, data: { error: "'nope' not found for path 'web_engagement.nope'" } }
        : { status: 200, data: timeseries.body },
    );
    const ds = new CubeDataSource(settings, send);
    const response = await ds.query(
      request([
        { refId: 'A', measures: ['web_engagement.nope'] },
        { refId: 'B', measures: ['web_engagement.bounce_rate'] },
      ]),
    );
    expect(response.errors).toEqual([{ refId: 'A', message: "'nope' not found for path 'web_engagement.nope'" }]);
    expect(response.data).toHaveLength(1);
  });

  it('skips hidden and empty queries without calling Cube', async () => {
    const ds = new CubeDataSource(settings, send);
    await ds.query(request([{ refId: 'A', hide: true, measures: ['web_engagement.sessions'] }, { refId: 'B' }]));
    expect(send).not.toHaveBeenCalled();
  });

  it('tests reachability and the token, and counts benchmarked measures', async () => {
    send.mockResolvedValueOnce({ status: 200, data: meta });
    const ds = new CubeDataSource(settings, send);
    const ok = await ds.testDatasource();
    expect(ok.status).toBe('success');
    expect(ok.message).toMatch(/^Connected to Cube: \d+ measures in 5 cubes and views, \d+ with benchmarks\.$/);

    send.mockResolvedValueOnce({ status: 401, data: { error: 'Invalid token: jwt malformed.' } });
    expect(await ds.testDatasource()).toEqual({
      status: 'error',
      message: 'Cube rejected the token (HTTP 401): Invalid token: jwt malformed.',
    });

    const unset = new CubeDataSource({ ...settings, jsonData: {} }, send);
    expect((await unset.testDatasource()).message).toBe('Set the Cube URL first.');
  });

  it('previews SQL with its parameters', async () => {
    send.mockResolvedValueOnce({ status: 200, data: sql.body });
    const ds = new CubeDataSource(settings, send);
    const text = await ds.getSql({ refId: 'A', measures: ['web_engagement.bounce_rate'] });
    expect(send.mock.calls[0]![0]).toBe('sql');
    expect(text).toContain('FROM\n      web_sessions');
    expect(text).toContain('-- parameters: $1 = "2025-01-01T00:00:00.000Z"');
  });

  it('lists dimension values for variables and ad-hoc filters, with titled keys', async () => {
    send.mockResolvedValueOnce({ status: 200, data: meta });
    const ds = new CubeDataSource(settings, send);
    const keys = await ds.getTagKeys();
    expect(keys).toContainEqual({ text: 'Web engagement › Channel', value: 'web_engagement.channel' });
    send.mockResolvedValueOnce({ status: 200, data: values.body });
    expect(await ds.getTagValues({ key: 'web_engagement.channel', filters: [] } as never)).toEqual([
      { text: 'organic' },
      { text: 'referral' },
    ]);
    expect(send.mock.calls[1]![1]).toEqual({
      dimensions: ['web_engagement.channel'],
      limit: 1000,
      order: [['web_engagement.channel', 'asc']],
    });
  });
});
