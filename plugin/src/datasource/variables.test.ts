import { dateTime, type DataQueryRequest, type DataSourceInstanceSettings } from '@grafana/data';
import {
  setBackendSrv,
  setTemplateSrv,
  type BackendSrv,
  type BackendSrvRequest,
  type FetchResponse,
  type TemplateSrv,
} from '@grafana/runtime';
import { lastValueFrom, of } from 'rxjs';
import { describe, expect, it, vi } from 'vitest';
import { CubeDataSource } from './datasource';
import type { CubeVariableQuery } from './types';
import type { CubeVariableSupport } from './variables';

// $view is a dashboard variable naming the view; Grafana's backend service records the call.
setTemplateSrv({ replace: (text = '') => text.replace('$view', 'web_engagement') } as unknown as TemplateSrv);
const fetch = vi.fn((_request: BackendSrvRequest) =>
  of({ data: { values: ['organic', 'referral'] }, status: 200 } as unknown as FetchResponse),
);
setBackendSrv({ fetch } as unknown as BackendSrv);

const ds = new CubeDataSource({
  id: 1,
  uid: 'cube',
  type: 'engagement-cube-datasource',
  name: 'Cube',
  jsonData: {},
  meta: {},
} as unknown as DataSourceInstanceSettings);
const range = { from: dateTime('2025-06-01T00:00:00Z'), to: dateTime('2025-06-30T23:59:59.999Z'), raw: { from: 'now-30d', to: 'now' } };
const run = (query: CubeVariableQuery) =>
  lastValueFrom(
    (ds.variables as CubeVariableSupport).query({
      targets: [query],
      range,
      scopedVars: {},
    } as unknown as DataQueryRequest<CubeVariableQuery>) as never,
  );

describe('variable queries', () => {
  it('list a dimension’s values through the values resource, within the range on the chosen time dimension', async () => {
    const response = (await run({ refId: 'v', dimension: '$view.channel', timeDimension: '$view.started_at', limit: 50 })) as {
      data: Array<{ fields: Array<{ values: string[] }> }>;
    };
    expect(response.data[0]!.fields[0]!.values).toEqual(['organic', 'referral']);
    expect(fetch.mock.calls[0]![0]).toMatchObject({
      method: 'POST',
      url: '/api/datasources/uid/cube/resources/values',
      data: {
        dimension: 'web_engagement.channel',
        limit: 50,
        timeDimension: 'web_engagement.started_at',
        range: { from: '2025-06-01T00:00:00.000Z', to: '2025-06-30T23:59:59.999Z' },
      },
    });
  });

  it('without a time dimension, list values of any time', async () => {
    fetch.mockClear();
    await run({ refId: 'v', dimension: 'web_engagement.plan' });
    expect(fetch.mock.calls[0]![0].data).toEqual({ dimension: 'web_engagement.plan', limit: 1000 });
  });
});
